import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,Lt as n,U as r,V as i,a,c as o,l as s,n as c,o as l,ot as u,r as d,t as f}from"./format-Dyr17DR6.js";import{n as p,t as m}from"./Table-Bh7B16wW.js";import{t as h}from"./SegmentedControl-DTIiUX1K.js";import{t as g}from"./DataTable-CHHH0OBA.js";import{n as _,t as v}from"./Pager-BotgGTNf.js";import{i as y,t as b}from"./index-DicyGINo.js";import{n as x}from"./session-CdTY1xf1.js";var S=e(n(),1),C=u(),w=l(`
  query ReservationsPage($status: ReservationStatus, $first: Int!, $after: String) {
    reservations(status: $status, first: $first, after: $after) {
      nodes {
        id
        item { id sku name }
        location { id code }
        quantity
        reservedQuantity
        status
        reference
        expiresAt
        createdAt
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`),T=l(`
  mutation ReleaseReservation($input: ReleaseReservationInput!) {
    releaseReservation(input: $input) { reservation { id status quantity } userErrors { message code } }
  }
`),E=l(`
  mutation FulfillReservation($input: FulfillReservationInput!) {
    fulfillReservation(input: $input) { reservation { id status quantity } userErrors { message code } }
  }
`);function D(){let e=y(),[n,l]=(0,S.useState)(`ACTIVE`),u=_(),[{data:D,fetching:O,error:k},A]=s({query:w,variables:{status:n,first:50,after:u.after}}),[,j]=o(T),[,M]=o(E),[N,P]=(0,S.useState)(null);async function F(e,t){P(null);let n={reservationId:t,idempotencyKey:b()},r=e===`release`?await j({input:n}):await M({input:n});if(r.error)return P(d(r.error));let i=r.data,a=i?Object.values(i)[0].userErrors:[];if(a.length>0)return P(a.map(e=>e.message).join(` `));A({requestPolicy:`network-only`})}let I=D?.reservations.nodes??[],L=x(e,`operator`);return(0,C.jsxs)(t,{children:[(0,C.jsx)(i,{order:1,size:`h2`,children:`Reservations`}),(0,C.jsx)(h,{"aria-label":`Which reservations`,value:n,onChange:e=>{l(e),u.reset()},data:[{value:`ACTIVE`,label:`Active`},{value:`FULFILLED`,label:`Fulfilled`},{value:`RELEASED`,label:`Released`},{value:`EXPIRED`,label:`Expired`}],maw:480}),(0,C.jsx)(a,{message:k?d(k):N}),(0,C.jsx)(g,{label:`Reservations`,headers:[`Created`,`Item`,`Location`,`Holds`,`Reference`,`Expires`,``],numeric:[`Holds`],empty:!O&&I.length===0?`No reservations here.`:null,minWidth:760,children:I.map(e=>(0,C.jsxs)(m.Tr,{children:[(0,C.jsx)(m.Td,{children:f(e.createdAt)}),(0,C.jsxs)(m.Td,{children:[e.item.sku,` `,e.item.name]}),(0,C.jsx)(m.Td,{children:e.location.code}),(0,C.jsxs)(m.Td,{className:`num`,children:[c(e.quantity),` of `,c(e.reservedQuantity)]}),(0,C.jsx)(m.Td,{children:e.reference}),(0,C.jsx)(m.Td,{children:e.expiresAt?f(e.expiresAt):`Never`}),(0,C.jsx)(m.Td,{children:e.status===`ACTIVE`&&L&&(0,C.jsxs)(p,{gap:`xs`,wrap:`nowrap`,children:[(0,C.jsx)(r,{size:`xs`,variant:`light`,onClick:()=>F(`fulfill`,e.id),"aria-label":`Fulfil reservation of ${e.item.sku}`,children:`Fulfil`}),(0,C.jsx)(r,{size:`xs`,variant:`default`,onClick:()=>F(`release`,e.id),"aria-label":`Release reservation of ${e.item.sku}`,children:`Release`})]})})]},e.id))}),(0,C.jsx)(v,{page:u.page,hasNext:!!D?.reservations.pageInfo.hasNextPage,onPrevious:u.previous,onNext:()=>u.next(D?.reservations.pageInfo.endCursor)})]})}export{D as default};