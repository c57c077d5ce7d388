import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,U as n,V as r,a as i,c as a,l as o,n as s,o as c,r as l,st as u,t as d,zt as f}from"./format-B7GgxVSy.js";import{n as p,t as m}from"./Table-W3PzY21R.js";import{t as h}from"./SegmentedControl-Dy4o8J28.js";import{t as g}from"./DataTable-CVldx7bq.js";import{n as _,t as v}from"./Pager-AIoaoW16.js";import{i as y,t as b}from"./index-BdQcOUMt.js";import{n as x}from"./session-CrdwaJyG.js";var S=e(f(),1),C=u(),w=c(`
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
`),T=c(`
  mutation ReleaseReservation($input: ReleaseReservationInput!) {
    releaseReservation(input: $input) { reservation { id status quantity } userErrors { message code } }
  }
`),E=c(`
  mutation FulfillReservation($input: FulfillReservationInput!) {
    fulfillReservation(input: $input) { reservation { id status quantity } userErrors { message code } }
  }
`);function D(){let e=y(),[c,u]=(0,S.useState)(`ACTIVE`),f=_(),[{data:D,fetching:O,error:k},A]=o({query:w,variables:{status:c,first:50,after:f.after}}),[,j]=a(T),[,M]=a(E),[N,P]=(0,S.useState)(null);async function F(e,t){P(null);let n={reservationId:t,idempotencyKey:b()},r=e===`release`?await j({input:n}):await M({input:n});if(r.error)return P(l(r.error));let i=r.data,a=i?Object.values(i)[0].userErrors:[];if(a.length>0)return P(a.map(e=>e.message).join(` `));A({requestPolicy:`network-only`})}let I=D?.reservations.nodes??[],L=x(e,`operator`);return(0,C.jsxs)(t,{children:[(0,C.jsx)(r,{order:1,size:`h2`,children:`Reservations`}),(0,C.jsx)(h,{"aria-label":`Which reservations`,value:c,onChange:e=>{u(e),f.reset()},data:[{value:`ACTIVE`,label:`Active`},{value:`FULFILLED`,label:`Fulfilled`},{value:`RELEASED`,label:`Released`},{value:`EXPIRED`,label:`Expired`}],maw:480}),(0,C.jsx)(i,{message:k?l(k):N}),(0,C.jsx)(g,{label:`Reservations`,headers:[`Created`,`Item`,`Location`,`Holds`,`Reference`,`Expires`,``],numeric:[`Holds`],empty:!O&&I.length===0?`No reservations here.`:null,minWidth:760,children:I.map(e=>(0,C.jsxs)(m.Tr,{children:[(0,C.jsx)(m.Td,{children:d(e.createdAt)}),(0,C.jsxs)(m.Td,{children:[e.item.sku,` `,e.item.name]}),(0,C.jsx)(m.Td,{children:e.location.code}),(0,C.jsxs)(m.Td,{className:`num`,children:[s(e.quantity),` of `,s(e.reservedQuantity)]}),(0,C.jsx)(m.Td,{children:e.reference}),(0,C.jsx)(m.Td,{children:e.expiresAt?d(e.expiresAt):`Never`}),(0,C.jsx)(m.Td,{children:e.status===`ACTIVE`&&L&&(0,C.jsxs)(p,{gap:`xs`,wrap:`nowrap`,children:[(0,C.jsx)(n,{size:`xs`,variant:`light`,onClick:()=>F(`fulfill`,e.id),"aria-label":`Fulfil reservation of ${e.item.sku}`,children:`Fulfil`}),(0,C.jsx)(n,{size:`xs`,variant:`default`,onClick:()=>F(`release`,e.id),"aria-label":`Release reservation of ${e.item.sku}`,children:`Release`})]})})]},e.id))}),(0,C.jsx)(v,{page:f.page,hasNext:!!D?.reservations.pageInfo.hasNextPage,onPrevious:f.previous,onNext:()=>f.next(D?.reservations.pageInfo.endCursor)})]})}export{D as default};