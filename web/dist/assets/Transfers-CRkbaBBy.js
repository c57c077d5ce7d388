import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,U as n,V as r,a as i,c as a,l as o,n as s,o as c,r as l,st as u,t as d,zt as f}from"./format-B7GgxVSy.js";import{n as p,t as m}from"./Table-W3PzY21R.js";import{t as h}from"./SegmentedControl-Dy4o8J28.js";import{t as g}from"./DataTable-CVldx7bq.js";import{n as _,t as v}from"./Pager-AIoaoW16.js";import{i as y,t as b}from"./index-BdQcOUMt.js";import{n as x}from"./session-CrdwaJyG.js";var S=e(f(),1),C=u(),w=c(`
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
`),T=c(`
  mutation ReceiveTransfer($input: ReceiveTransferInput!) {
    receiveTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }
  }
`),E=c(`
  mutation CancelTransfer($input: CancelTransferInput!) {
    cancelTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }
  }
`);function D(){let e=y(),[c,u]=(0,S.useState)(`IN_TRANSIT`),f=_(),[{data:D,fetching:O,error:k},A]=o({query:w,variables:{status:c,first:50,after:f.after}}),[,j]=a(T),[,M]=a(E),[N,P]=(0,S.useState)(null);async function F(e,t){P(null);let n={transferId:t,idempotencyKey:b()},r=e===`receive`?await j({input:n}):await M({input:n});if(r.error)return P(l(r.error));let i=r.data,a=i?Object.values(i)[0].userErrors:[];if(a.length>0)return P(a.map(e=>e.message).join(` `));A({requestPolicy:`network-only`})}let I=D?.transfers.nodes??[],L=x(e,`operator`);return(0,C.jsxs)(t,{children:[(0,C.jsx)(r,{order:1,size:`h2`,children:`Transfers`}),(0,C.jsx)(h,{"aria-label":`Which transfers`,value:c,onChange:e=>{u(e),f.reset()},data:[{value:`IN_TRANSIT`,label:`In transit`},{value:`RECEIVED`,label:`Received`},{value:`CANCELLED`,label:`Cancelled`}],maw:420}),(0,C.jsx)(i,{message:k?l(k):N}),(0,C.jsx)(g,{label:`Transfers`,headers:[`Sent`,`Item`,`From`,`To`,`On its way`,`Reference`,``],numeric:[`On its way`],empty:!O&&I.length===0?`No transfers here.`:null,minWidth:760,children:I.map(e=>(0,C.jsxs)(m.Tr,{children:[(0,C.jsx)(m.Td,{children:d(e.createdAt)}),(0,C.jsxs)(m.Td,{children:[e.item.sku,` `,e.item.name]}),(0,C.jsx)(m.Td,{children:e.fromLocation.code}),(0,C.jsx)(m.Td,{children:e.toLocation.code}),(0,C.jsxs)(m.Td,{className:`num`,children:[s(e.outstandingQuantity),` of `,s(e.quantity)]}),(0,C.jsx)(m.Td,{children:e.reference}),(0,C.jsx)(m.Td,{children:e.status===`IN_TRANSIT`&&L&&(0,C.jsxs)(p,{gap:`xs`,wrap:`nowrap`,children:[(0,C.jsx)(n,{size:`xs`,variant:`light`,onClick:()=>F(`receive`,e.id),"aria-label":`Receive transfer of ${e.item.sku}`,children:`Receive all`}),(0,C.jsx)(n,{size:`xs`,variant:`default`,onClick:()=>F(`cancel`,e.id),"aria-label":`Cancel transfer of ${e.item.sku}`,children:`Cancel`})]})})]},e.id))}),(0,C.jsx)(v,{page:f.page,hasNext:!!D?.transfers.pageInfo.hasNextPage,onPrevious:f.previous,onNext:()=>f.next(D?.transfers.pageInfo.endCursor)})]})}export{D as default};