import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{Bt as t,H as n,U as r,W as i,a,ct as o,d as s,l as c,n as l,o as u,r as d,t as f,u as p}from"./format-DQnp7__F.js";import{d as m,i as h,l as g,p as _}from"./index-DwJ7I-LU.js";import{t as v}from"./SegmentedControl-BF0dvfZ9.js";import{t as y}from"./Table-DSvXy0lg.js";import{t as b}from"./DataTable-B0ZOeyWd.js";import{n as x,t as S}from"./Pager-CPsM-POz.js";import{n as C}from"./session-CrdwaJyG.js";var w=e(t(),1),T=o(),E=u(`
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
`),D=u(`
  subscription AlertsPageRaised {
    alertRaised { id }
  }
`),O=u(`
  mutation AcknowledgeAlert($input: AcknowledgeAlertInput!) {
    acknowledgeAlert(input: $input) {
      alert { id status acknowledgedAt acknowledgedBy }
      userErrors { message code }
    }
  }
`),k={LOW_STOCK:`Low stock`,OUT_OF_STOCK:`Out of stock`,LEDGER_DRIFT:`Ledger drift`};function A(){let e=h(),[t,o]=(0,w.useState)(`OPEN`),u=x(),[{data:A,fetching:j,error:M},N]=p({query:E,variables:{status:t,first:50,after:u.after}}),[{data:P}]=s({query:D}),[F,I]=(0,w.useState)(null),[,L]=c(O);(0,w.useEffect)(()=>{P&&N({requestPolicy:`network-only`})},[P,N]);async function R(e){I(null);let t=await L({input:{alertId:e}});if(t.error)return I(d(t.error));let n=t.data?.acknowledgeAlert.userErrors??[];if(n.length>0)return I(n.map(e=>e.message).join(` `));N({requestPolicy:`network-only`})}let z=A?.alerts.nodes??[];return(0,T.jsxs)(r,{children:[(0,T.jsx)(n,{order:1,size:`h2`,children:`Alerts`}),(0,T.jsx)(v,{"aria-label":`Which alerts`,value:t,onChange:e=>{o(e),u.reset()},data:[{value:`OPEN`,label:`Open`},{value:`ACKNOWLEDGED`,label:`Acknowledged`},{value:`RESOLVED`,label:`Resolved`}],maw:420}),(0,T.jsx)(a,{message:M?d(M):F}),(0,T.jsx)(b,{label:`Alerts`,headers:[`Raised`,`Kind`,`Item`,`Location`,`Available`,`Reorder point`,``],numeric:[`Available`,`Reorder point`],empty:!j&&z.length===0?`No alerts here.`:null,minWidth:720,children:z.map(t=>(0,T.jsxs)(y.Tr,{children:[(0,T.jsx)(y.Td,{children:f(t.raisedAt)}),(0,T.jsx)(y.Td,{children:(0,T.jsx)(g,{color:t.kind===`LOW_STOCK`?`yellow.4`:`red.9`,variant:`filled`,autoContrast:!0,children:k[t.kind]??t.kind})}),(0,T.jsxs)(y.Td,{children:[(0,T.jsx)(m,{component:_,to:`/items/${encodeURIComponent(t.item.id)}`,children:t.item.sku}),` `,t.item.name]}),(0,T.jsx)(y.Td,{children:t.location.code}),(0,T.jsx)(y.Td,{className:`num`,children:l(t.available)}),(0,T.jsx)(y.Td,{className:`num`,children:l(t.threshold)}),(0,T.jsx)(y.Td,{children:t.status===`OPEN`&&C(e,`operator`)?(0,T.jsx)(i,{size:`xs`,variant:`light`,onClick:()=>R(t.id),"aria-label":`Acknowledge ${t.item.sku} at ${t.location.code}`,children:`Acknowledge`}):t.acknowledgedBy?`Seen by ${t.acknowledgedBy}`:null})]},t.id))}),(0,T.jsx)(S,{cursors:u,pageInfo:A?.alerts.pageInfo})]})}export{A as default};