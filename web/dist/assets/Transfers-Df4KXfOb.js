import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,Lt as n,U as r,V as i,a,c as o,l as s,n as c,o as l,ot as u,r as d,t as f}from"./format-Dyr17DR6.js";import{n as p,t as m}from"./Table-Bh7B16wW.js";import{t as h}from"./SegmentedControl-DTIiUX1K.js";import{t as g}from"./DataTable-CHHH0OBA.js";import{n as _,t as v}from"./Pager-BotgGTNf.js";import{i as y,t as b}from"./index-DicyGINo.js";import{n as x}from"./session-CdTY1xf1.js";var S=e(n(),1),C=u(),w=l(`
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
`);function D(){let e=y(),[n,l]=(0,S.useState)(`IN_TRANSIT`),u=_(),[{data:D,fetching:O,error:k},A]=s({query:w,variables:{status:n,first:50,after:u.after}}),[,j]=o(T),[,M]=o(E),[N,P]=(0,S.useState)(null);async function F(e,t){P(null);let n={transferId:t,idempotencyKey:b()},r=e===`receive`?await j({input:n}):await M({input:n});if(r.error)return P(d(r.error));let i=r.data,a=i?Object.values(i)[0].userErrors:[];if(a.length>0)return P(a.map(e=>e.message).join(` `));A({requestPolicy:`network-only`})}let I=D?.transfers.nodes??[],L=x(e,`operator`);return(0,C.jsxs)(t,{children:[(0,C.jsx)(i,{order:1,size:`h2`,children:`Transfers`}),(0,C.jsx)(h,{"aria-label":`Which transfers`,value:n,onChange:e=>{l(e),u.reset()},data:[{value:`IN_TRANSIT`,label:`In transit`},{value:`RECEIVED`,label:`Received`},{value:`CANCELLED`,label:`Cancelled`}],maw:420}),(0,C.jsx)(a,{message:k?d(k):N}),(0,C.jsx)(g,{label:`Transfers`,headers:[`Sent`,`Item`,`From`,`To`,`On its way`,`Reference`,``],numeric:[`On its way`],empty:!O&&I.length===0?`No transfers here.`:null,minWidth:760,children:I.map(e=>(0,C.jsxs)(m.Tr,{children:[(0,C.jsx)(m.Td,{children:f(e.createdAt)}),(0,C.jsxs)(m.Td,{children:[e.item.sku,` `,e.item.name]}),(0,C.jsx)(m.Td,{children:e.fromLocation.code}),(0,C.jsx)(m.Td,{children:e.toLocation.code}),(0,C.jsxs)(m.Td,{className:`num`,children:[c(e.outstandingQuantity),` of `,c(e.quantity)]}),(0,C.jsx)(m.Td,{children:e.reference}),(0,C.jsx)(m.Td,{children:e.status===`IN_TRANSIT`&&L&&(0,C.jsxs)(p,{gap:`xs`,wrap:`nowrap`,children:[(0,C.jsx)(r,{size:`xs`,variant:`light`,onClick:()=>F(`receive`,e.id),"aria-label":`Receive transfer of ${e.item.sku}`,children:`Receive all`}),(0,C.jsx)(r,{size:`xs`,variant:`default`,onClick:()=>F(`cancel`,e.id),"aria-label":`Cancel transfer of ${e.item.sku}`,children:`Cancel`})]})})]},e.id))}),(0,C.jsx)(v,{page:u.page,hasNext:!!D?.transfers.pageInfo.hasNextPage,onPrevious:u.previous,onNext:()=>u.next(D?.transfers.pageInfo.endCursor)})]})}export{D as default};