import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,Rt as n,U as r,V as i,a,c as o,l as s,n as c,o as l,r as u,st as d,t as f}from"./format-6nuVJGlS.js";import{n as p,t as m}from"./Table-D8H3WS5z.js";import{t as h}from"./SegmentedControl-Dyy1p9J1.js";import{t as g}from"./DataTable-tKbaAP_K.js";import{n as _,t as v}from"./Pager-DdRUoaOh.js";import{i as y,t as b}from"./index-CH_7tqEK.js";import{n as x}from"./session-CrdwaJyG.js";var S=e(n(),1),C=d(),w=l(`
  query TransfersPage($status: TransferStatus, $first: Int!, $after: String) {
    transfers(status: $status, first: $first, after: $after) {
      nodes {
        id
        item { id sku name }
        fromLocation { id code }
        toLocation { id code }
        quantity
        outstandingQuantity
        receivedQuantity
        status
        reference
        createdAt
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`),T=l(`
  mutation ReceiveTransfer($input: ReceiveTransferInput!) {
    receiveTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }
  }
`),E=l(`
  mutation CancelTransfer($input: CancelTransferInput!) {
    cancelTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }
  }
`);function D(){let e=y(),[n,l]=(0,S.useState)(`IN_TRANSIT`),d=_(),[{data:D,fetching:O,error:k},A]=s({query:w,variables:{status:n,first:50,after:d.after}}),[,j]=o(T),[,M]=o(E),[N,P]=(0,S.useState)(null);async function F(e,t){P(null);let n={transferId:t,idempotencyKey:b()},r=e===`receive`?await j({input:n}):await M({input:n});if(r.error)return P(u(r.error));let i=r.data,a=i?Object.values(i)[0].userErrors:[];if(a.length>0)return P(a.map(e=>e.message).join(` `));A({requestPolicy:`network-only`})}let I=D?.transfers.nodes??[],L=x(e,`operator`);return(0,C.jsxs)(t,{children:[(0,C.jsx)(i,{order:1,size:`h2`,children:`Transfers`}),(0,C.jsx)(h,{"aria-label":`Which transfers`,value:n,onChange:e=>{l(e),d.reset()},data:[{value:`IN_TRANSIT`,label:`In transit`},{value:`RECEIVED`,label:`Received`},{value:`CANCELLED`,label:`Cancelled`}],maw:420}),(0,C.jsx)(a,{message:k?u(k):N}),(0,C.jsx)(g,{label:`Transfers`,headers:[`Sent`,`Item`,`From`,`To`,`On its way`,`Reference`,``],numeric:[`On its way`],empty:!O&&I.length===0?`No transfers here.`:null,minWidth:760,children:I.map(e=>(0,C.jsxs)(m.Tr,{children:[(0,C.jsx)(m.Td,{children:f(e.createdAt)}),(0,C.jsxs)(m.Td,{children:[e.item.sku,` `,e.item.name]}),(0,C.jsx)(m.Td,{children:e.fromLocation.code}),(0,C.jsx)(m.Td,{children:e.toLocation.code}),(0,C.jsxs)(m.Td,{className:`num`,children:[c(e.outstandingQuantity),` of `,c(e.quantity)]}),(0,C.jsx)(m.Td,{children:e.reference}),(0,C.jsx)(m.Td,{children:e.status===`IN_TRANSIT`&&L&&(0,C.jsxs)(p,{gap:`xs`,wrap:`nowrap`,children:[(0,C.jsx)(r,{size:`xs`,variant:`light`,onClick:()=>F(`receive`,e.id),"aria-label":`Receive transfer of ${e.item.sku}`,children:`Receive all`}),(0,C.jsx)(r,{size:`xs`,variant:`default`,onClick:()=>F(`cancel`,e.id),"aria-label":`Cancel transfer of ${e.item.sku}`,children:`Cancel`})]})})]},e.id))}),(0,C.jsx)(v,{page:d.page,hasNext:!!D?.transfers.pageInfo.hasNextPage,onPrevious:d.previous,onNext:()=>d.next(D?.transfers.pageInfo.endCursor)})]})}export{D as default};