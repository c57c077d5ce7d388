import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,U as n,V as r,a as i,c as a,l as o,n as s,o as c,r as l,st as u,t as d,u as f,zt as p}from"./format-B7GgxVSy.js";import{d as m,i as h,l as g,p as _}from"./index-BdQcOUMt.js";import{t as v}from"./SegmentedControl-Dy4o8J28.js";import{t as y}from"./Table-W3PzY21R.js";import{t as b}from"./DataTable-CVldx7bq.js";import{n as x,t as S}from"./Pager-AIoaoW16.js";import{n as C}from"./session-CrdwaJyG.js";var w=e(p(),1),T=u(),E=c(`
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
`),D=c(`
  subscription AlertsPageRaised {
    alertRaised { id }
  }
`),O=c(`
  mutation AcknowledgeAlert($input: AcknowledgeAlertInput!) {
    acknowledgeAlert(input: $input) {
      alert { id status acknowledgedAt acknowledgedBy }
      userErrors { message code }
    }
  }
`),k={LOW_STOCK:`Low stock`,OUT_OF_STOCK:`Out of stock`,LEDGER_DRIFT:`Ledger drift`};function A(){let e=h(),[c,u]=(0,w.useState)(`OPEN`),p=x(),[{data:A,fetching:j,error:M},N]=o({query:E,variables:{status:c,first:50,after:p.after}}),[{data:P}]=f({query:D}),[F,I]=(0,w.useState)(null),[,L]=a(O);(0,w.useEffect)(()=>{P&&N({requestPolicy:`network-only`})},[P,N]);async function R(e){I(null);let t=await L({input:{alertId:e}});if(t.error)return I(l(t.error));let n=t.data?.acknowledgeAlert.userErrors??[];if(n.length>0)return I(n.map(e=>e.message).join(` `));N({requestPolicy:`network-only`})}let z=A?.alerts.nodes??[];return(0,T.jsxs)(t,{children:[(0,T.jsx)(r,{order:1,size:`h2`,children:`Alerts`}),(0,T.jsx)(v,{"aria-label":`Which alerts`,value:c,onChange:e=>{u(e),p.reset()},data:[{value:`OPEN`,label:`Open`},{value:`ACKNOWLEDGED`,label:`Acknowledged`},{value:`RESOLVED`,label:`Resolved`}],maw:420}),(0,T.jsx)(i,{message:M?l(M):F}),(0,T.jsx)(b,{label:`Alerts`,headers:[`Raised`,`Kind`,`Item`,`Location`,`Available`,`Reorder point`,``],numeric:[`Available`,`Reorder point`],empty:!j&&z.length===0?`No alerts here.`:null,minWidth:720,children:z.map(t=>(0,T.jsxs)(y.Tr,{children:[(0,T.jsx)(y.Td,{children:d(t.raisedAt)}),(0,T.jsx)(y.Td,{children:(0,T.jsx)(g,{color:t.kind===`LOW_STOCK`?`yellow.4`:`red.9`,variant:`filled`,autoContrast:!0,children:k[t.kind]??t.kind})}),(0,T.jsxs)(y.Td,{children:[(0,T.jsx)(m,{component:_,to:`/items/${encodeURIComponent(t.item.id)}`,children:t.item.sku}),` `,t.item.name]}),(0,T.jsx)(y.Td,{children:t.location.code}),(0,T.jsx)(y.Td,{className:`num`,children:s(t.available)}),(0,T.jsx)(y.Td,{className:`num`,children:s(t.threshold)}),(0,T.jsx)(y.Td,{children:t.status===`OPEN`&&C(e,`operator`)?(0,T.jsx)(n,{size:`xs`,variant:`light`,onClick:()=>R(t.id),"aria-label":`Acknowledge ${t.item.sku} at ${t.location.code}`,children:`Acknowledge`}):t.acknowledgedBy?`Seen by ${t.acknowledgedBy}`:null})]},t.id))}),(0,T.jsx)(S,{page:p.page,hasNext:!!A?.alerts.pageInfo.hasNextPage,onPrevious:p.previous,onNext:()=>p.next(A?.alerts.pageInfo.endCursor)})]})}export{A as default};