import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,Rt as n,U as r,V as i,a,c as o,l as s,n as c,o as l,r as u,st as d,t as f,u as p}from"./format-6nuVJGlS.js";import{f as m,i as h,m as g,u as _}from"./index-CH_7tqEK.js";import{t as v}from"./SegmentedControl-Dyy1p9J1.js";import{t as y}from"./Table-D8H3WS5z.js";import{t as b}from"./DataTable-tKbaAP_K.js";import{n as x,t as S}from"./Pager-DdRUoaOh.js";import{n as C}from"./session-CrdwaJyG.js";var w=e(n(),1),T=d(),E=l(`
  query AlertsPage($status: AlertStatus, $first: Int!, $after: String) {
    alerts(status: $status, first: $first, after: $after) {
      nodes {
        id
        kind
        status
        item { id sku name }
        location { id code }
        available
        threshold
        raisedAt
        acknowledgedAt
        acknowledgedBy
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`),D=l(`
  subscription AlertsPageRaised {
    alertRaised { id }
  }
`),O=l(`
  mutation AcknowledgeAlert($input: AcknowledgeAlertInput!) {
    acknowledgeAlert(input: $input) {
      alert { id status acknowledgedAt acknowledgedBy }
      userErrors { message code }
    }
  }
`),k={LOW_STOCK:`Low stock`,OUT_OF_STOCK:`Out of stock`,LEDGER_DRIFT:`Ledger drift`};function A(){let e=h(),[n,l]=(0,w.useState)(`OPEN`),d=x(),[{data:A,fetching:j,error:M},N]=s({query:E,variables:{status:n,first:50,after:d.after}}),[{data:P}]=p({query:D}),[F,I]=(0,w.useState)(null),[,L]=o(O);(0,w.useEffect)(()=>{P&&N({requestPolicy:`network-only`})},[P,N]);async function R(e){I(null);let t=await L({input:{alertId:e}});if(t.error)return I(u(t.error));let n=t.data?.acknowledgeAlert.userErrors??[];if(n.length>0)return I(n.map(e=>e.message).join(` `));N({requestPolicy:`network-only`})}let z=A?.alerts.nodes??[];return(0,T.jsxs)(t,{children:[(0,T.jsx)(i,{order:1,size:`h2`,children:`Alerts`}),(0,T.jsx)(v,{"aria-label":`Which alerts`,value:n,onChange:e=>{l(e),d.reset()},data:[{value:`OPEN`,label:`Open`},{value:`ACKNOWLEDGED`,label:`Acknowledged`},{value:`RESOLVED`,label:`Resolved`}],maw:420}),(0,T.jsx)(a,{message:M?u(M):F}),(0,T.jsx)(b,{label:`Alerts`,headers:[`Raised`,`Kind`,`Item`,`Location`,`Available`,`Reorder point`,``],numeric:[`Available`,`Reorder point`],empty:!j&&z.length===0?`No alerts here.`:null,minWidth:720,children:z.map(t=>(0,T.jsxs)(y.Tr,{children:[(0,T.jsx)(y.Td,{children:f(t.raisedAt)}),(0,T.jsx)(y.Td,{children:(0,T.jsx)(_,{color:t.kind===`LOW_STOCK`?`yellow.4`:`red.9`,variant:`filled`,autoContrast:!0,children:k[t.kind]??t.kind})}),(0,T.jsxs)(y.Td,{children:[(0,T.jsx)(m,{component:g,to:`/items/${encodeURIComponent(t.item.id)}`,children:t.item.sku}),` `,t.item.name]}),(0,T.jsx)(y.Td,{children:t.location.code}),(0,T.jsx)(y.Td,{className:`num`,children:c(t.available)}),(0,T.jsx)(y.Td,{className:`num`,children:c(t.threshold)}),(0,T.jsx)(y.Td,{children:t.status===`OPEN`&&C(e,`operator`)?(0,T.jsx)(r,{size:`xs`,variant:`light`,onClick:()=>R(t.id),"aria-label":`Acknowledge ${t.item.sku} at ${t.location.code}`,children:`Acknowledge`}):t.acknowledgedBy?`Seen by ${t.acknowledgedBy}`:null})]},t.id))}),(0,T.jsx)(S,{page:d.page,hasNext:!!A?.alerts.pageInfo.hasNextPage,onPrevious:d.previous,onNext:()=>d.next(A?.alerts.pageInfo.endCursor)})]})}export{A as default};