import{t as e}from"./Table-DSvXy0lg.js";import{ct as t,l as n,n as r,o as i,t as a}from"./format-DQnp7__F.js";import{t as o}from"./StatusListPage-Cd_0iRSS.js";import{t as s}from"./index-DwJ7I-LU.js";var c=t(),l=i(`
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
`),u=i(`
  mutation ReceiveTransfer($input: ReceiveTransferInput!) {
    receiveTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }
  }
`),d=i(`
  mutation CancelTransfer($input: CancelTransferInput!) {
    cancelTransfer(input: $input) { transfer { id status outstandingQuantity } userErrors { message code } }
  }
`);function f(){let[,t]=n(u),[,i]=n(d);return(0,c.jsx)(o,{title:`Transfers`,filterLabel:`Which transfers`,filterWidth:420,statuses:[{value:`IN_TRANSIT`,label:`In transit`},{value:`RECEIVED`,label:`Received`},{value:`CANCELLED`,label:`Cancelled`}],initialStatus:`IN_TRANSIT`,query:l,connection:e=>e.transfers,headers:[`Sent`,`Item`,`From`,`To`,`On its way`,`Reference`,``],numeric:[`On its way`],empty:`No transfers here.`,actionableStatus:`IN_TRANSIT`,actions:[{label:`Receive all`,variant:`light`,ariaLabel:e=>`Receive transfer of ${e.item.sku}`,run:e=>t({input:{transferId:e.id,idempotencyKey:s()}})},{label:`Cancel`,variant:`default`,ariaLabel:e=>`Cancel transfer of ${e.item.sku}`,run:e=>i({input:{transferId:e.id,idempotencyKey:s()}})}],cells:t=>(0,c.jsxs)(c.Fragment,{children:[(0,c.jsx)(e.Td,{children:a(t.createdAt)}),(0,c.jsxs)(e.Td,{children:[t.item.sku,` `,t.item.name]}),(0,c.jsx)(e.Td,{children:t.fromLocation.code}),(0,c.jsx)(e.Td,{children:t.toLocation.code}),(0,c.jsxs)(e.Td,{className:`num`,children:[r(t.outstandingQuantity),` of `,r(t.quantity)]}),(0,c.jsx)(e.Td,{children:t.reference})]})})}export{f as default};