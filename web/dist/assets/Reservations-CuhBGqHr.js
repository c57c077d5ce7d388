import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,Rt as n,U as r,V as i,a,c as o,l as s,n as c,o as l,r as u,st as d,t as f}from"./format-6nuVJGlS.js";import{n as p,t as m}from"./Table-D8H3WS5z.js";import{t as h}from"./SegmentedControl-Dyy1p9J1.js";import{t as g}from"./DataTable-tKbaAP_K.js";import{n as _,t as v}from"./Pager-DdRUoaOh.js";import{i as y,t as b}from"./index-CH_7tqEK.js";import{n as x}from"./session-CrdwaJyG.js";var S=e(n(),1),C=d(),w=l(`
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
`);function D(){let e=y(),[n,l]=(0,S.useState)(`ACTIVE`),d=_(),[{data:D,fetching:O,error:k},A]=s({query:w,variables:{status:n,first:50,after:d.after}}),[,j]=o(T),[,M]=o(E),[N,P]=(0,S.useState)(null);async function F(e,t){P(null);let n={reservationId:t,idempotencyKey:b()},r=e===`release`?await j({input:n}):await M({input:n});if(r.error)return P(u(r.error));let i=r.data,a=i?Object.values(i)[0].userErrors:[];if(a.length>0)return P(a.map(e=>e.message).join(` `));A({requestPolicy:`network-only`})}let I=D?.reservations.nodes??[],L=x(e,`operator`);return(0,C.jsxs)(t,{children:[(0,C.jsx)(i,{order:1,size:`h2`,children:`Reservations`}),(0,C.jsx)(h,{"aria-label":`Which reservations`,value:n,onChange:e=>{l(e),d.reset()},data:[{value:`ACTIVE`,label:`Active`},{value:`FULFILLED`,label:`Fulfilled`},{value:`RELEASED`,label:`Released`},{value:`EXPIRED`,label:`Expired`}],maw:480}),(0,C.jsx)(a,{message:k?u(k):N}),(0,C.jsx)(g,{label:`Reservations`,headers:[`Created`,`Item`,`Location`,`Holds`,`Reference`,`Expires`,``],numeric:[`Holds`],empty:!O&&I.length===0?`No reservations here.`:null,minWidth:760,children:I.map(e=>(0,C.jsxs)(m.Tr,{children:[(0,C.jsx)(m.Td,{children:f(e.createdAt)}),(0,C.jsxs)(m.Td,{children:[e.item.sku,` `,e.item.name]}),(0,C.jsx)(m.Td,{children:e.location.code}),(0,C.jsxs)(m.Td,{className:`num`,children:[c(e.quantity),` of `,c(e.reservedQuantity)]}),(0,C.jsx)(m.Td,{children:e.reference}),(0,C.jsx)(m.Td,{children:e.expiresAt?f(e.expiresAt):`Never`}),(0,C.jsx)(m.Td,{children:e.status===`ACTIVE`&&L&&(0,C.jsxs)(p,{gap:`xs`,wrap:`nowrap`,children:[(0,C.jsx)(r,{size:`xs`,variant:`light`,onClick:()=>F(`fulfill`,e.id),"aria-label":`Fulfil reservation of ${e.item.sku}`,children:`Fulfil`}),(0,C.jsx)(r,{size:`xs`,variant:`default`,onClick:()=>F(`release`,e.id),"aria-label":`Release reservation of ${e.item.sku}`,children:`Release`})]})})]},e.id))}),(0,C.jsx)(v,{page:d.page,hasNext:!!D?.reservations.pageInfo.hasNextPage,onPrevious:d.previous,onNext:()=>d.next(D?.reservations.pageInfo.endCursor)})]})}export{D as default};