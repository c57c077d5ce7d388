import{t as e}from"./Table-DSvXy0lg.js";import{ct as t,l as n,n as r,o as i,t as a}from"./format-DQnp7__F.js";import{t as o}from"./StatusListPage-Cd_0iRSS.js";import{t as s}from"./index-DwJ7I-LU.js";var c=t(),l=i(`
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
`),u=i(`
  mutation ReleaseReservation($input: ReleaseReservationInput!) {
    releaseReservation(input: $input) { reservation { id status quantity } userErrors { message code } }
  }
`),d=i(`
  mutation FulfillReservation($input: FulfillReservationInput!) {
    fulfillReservation(input: $input) { reservation { id status quantity } userErrors { message code } }
  }
`);function f(){let[,t]=n(u),[,i]=n(d);return(0,c.jsx)(o,{title:`Reservations`,filterLabel:`Which reservations`,filterWidth:480,statuses:[{value:`ACTIVE`,label:`Active`},{value:`FULFILLED`,label:`Fulfilled`},{value:`RELEASED`,label:`Released`},{value:`EXPIRED`,label:`Expired`}],initialStatus:`ACTIVE`,query:l,connection:e=>e.reservations,headers:[`Created`,`Item`,`Location`,`Holds`,`Reference`,`Expires`,``],numeric:[`Holds`],empty:`No reservations here.`,actionableStatus:`ACTIVE`,actions:[{label:`Fulfil`,variant:`light`,ariaLabel:e=>`Fulfil reservation of ${e.item.sku}`,run:e=>i({input:{reservationId:e.id,idempotencyKey:s()}})},{label:`Release`,variant:`default`,ariaLabel:e=>`Release reservation of ${e.item.sku}`,run:e=>t({input:{reservationId:e.id,idempotencyKey:s()}})}],cells:t=>(0,c.jsxs)(c.Fragment,{children:[(0,c.jsx)(e.Td,{children:a(t.createdAt)}),(0,c.jsxs)(e.Td,{children:[t.item.sku,` `,t.item.name]}),(0,c.jsx)(e.Td,{children:t.location.code}),(0,c.jsxs)(e.Td,{className:`num`,children:[r(t.quantity),` of `,r(t.reservedQuantity)]}),(0,c.jsx)(e.Td,{children:t.reference}),(0,c.jsx)(e.Td,{children:t.expiresAt?a(t.expiresAt):`Never`})]})})}export{f as default};