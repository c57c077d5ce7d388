import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,U as n,V as r,W as i,a,i as o,l as s,n as c,o as l,q as u,r as d,st as f,t as p,zt as m}from"./format-B7GgxVSy.js";import{h,o as g}from"./index-BdQcOUMt.js";import{n as _,t as v}from"./Table-W3PzY21R.js";import{t as y}from"./TextInput--rLRI2cJ.js";import{t as b}from"./DataTable-CVldx7bq.js";var x=e(m(),1),S=f(),C=l(`
  query ItemPage($id: ID!) {
    item(id: $id) {
      id
      sku
      name
      unit
      reorderPoint
      stockLevels {
        location { id code name }
        onHand
        available
        reserved
        damaged
        qualityControl
        incoming
        updatedAt
      }
    }
  }
`),w=l(`
  query ItemLedger($itemId: ID!, $first: Int!, $after: String) {
    movements(itemId: $itemId, first: $first, after: $after) {
      nodes {
        id
        kind
        quantity
        fromState
        toState
        location { id code }
        toLocation { id code }
        actor
        reference
        reason
        createdAt
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`),T=l(`
  query ItemLevelAsOf($itemId: ID!, $locationId: ID!, $asOf: Time) {
    stockLevel(itemId: $itemId, locationId: $locationId, asOf: $asOf) {
      onHand
      available
      reserved
      damaged
      qualityControl
      incoming
    }
  }
`);function E({itemId:e,after:t,isLast:r,onMore:l}){let[{data:f,fetching:m,error:h}]=s({query:w,variables:{itemId:e,first:25,after:t}}),g=f?.movements;return(0,S.jsxs)(S.Fragment,{children:[h&&(0,S.jsx)(v.Tr,{children:(0,S.jsx)(v.Td,{colSpan:6,children:(0,S.jsx)(a,{message:d(h)})})}),g?.nodes.map(e=>(0,S.jsxs)(v.Tr,{children:[(0,S.jsx)(v.Td,{children:p(e.createdAt)}),(0,S.jsx)(v.Td,{children:o(e.kind)}),(0,S.jsx)(v.Td,{className:`num`,children:c(e.quantity)}),(0,S.jsx)(v.Td,{children:e.toLocation?`${e.location.code} → ${e.toLocation.code}`:e.location.code}),(0,S.jsx)(v.Td,{children:e.actor}),(0,S.jsxs)(v.Td,{children:[e.reference,e.reason&&(0,S.jsx)(i,{size:`xs`,c:`dimmed`,children:e.reason})]})]},e.id)),r&&(m||g?.pageInfo.hasNextPage)&&(0,S.jsx)(v.Tr,{children:(0,S.jsx)(v.Td,{colSpan:6,children:m?(0,S.jsx)(u,{size:`sm`,"aria-label":`Loading movements`}):(0,S.jsx)(n,{variant:`subtle`,onClick:()=>l(g.pageInfo.endCursor),children:`Show older movements`})})})]})}function D({itemId:e,locations:n}){let[a,o]=(0,x.useState)(n[0]?.value??null),[l,d]=(0,x.useState)(``),f=l?new Date(l).toISOString():null,[{data:m,fetching:h}]=s({query:T,variables:{itemId:e,locationId:a??``,asOf:f},pause:!a||!f}),v=m?.stockLevel;return(0,S.jsxs)(t,{gap:`xs`,children:[(0,S.jsx)(r,{order:2,size:`h4`,children:`Level as of a date`}),(0,S.jsxs)(_,{align:`flex-end`,wrap:`wrap`,children:[(0,S.jsx)(g,{label:`At location`,data:n,value:a,onChange:o,maw:260}),(0,S.jsx)(y,{label:`As of`,type:`datetime-local`,value:l,onChange:e=>d(e.currentTarget.value)})]}),h&&(0,S.jsx)(u,{size:`sm`,"aria-label":`Loading`}),v&&f&&(0,S.jsxs)(i,{role:`status`,children:[`On hand `,c(v.onHand),`, available `,c(v.available),`, reserved `,c(v.reserved),`, damaged `,c(v.damaged),`, in quality control `,c(v.qualityControl),`, incoming`,` `,c(v.incoming),` — as of `,p(f),`.`]})]})}function O(){let{id:e=``}=h(),[{data:n,fetching:o,error:l}]=s({query:C,variables:{id:e}}),[f,p]=(0,x.useState)([null]),m=n?.item;if(o&&!n)return(0,S.jsx)(u,{"aria-label":`Loading`});if(l)return(0,S.jsx)(a,{message:d(l)});if(!m)return(0,S.jsx)(i,{children:`This item does not exist.`});let g=m.stockLevels.map(e=>({value:e.location.id,label:`${e.location.code} — ${e.location.name}`}));return(0,S.jsxs)(t,{children:[(0,S.jsxs)(`div`,{children:[(0,S.jsx)(r,{order:1,size:`h2`,children:m.name}),(0,S.jsxs)(i,{c:`dimmed`,children:[`SKU `,m.sku,` · counted in `,m.unit,m.reorderPoint!=null&&` · reorder at ${c(m.reorderPoint)}`]})]}),(0,S.jsx)(r,{order:2,size:`h4`,children:`Levels`}),(0,S.jsx)(b,{label:`Levels`,headers:[`Location`,`On hand`,`Available`,`Reserved`,`Damaged`,`Quality control`,`Incoming`],numeric:[`On hand`,`Available`,`Reserved`,`Damaged`,`Quality control`,`Incoming`],empty:m.stockLevels.length===0?`No stock has moved for this item yet.`:null,minWidth:640,children:m.stockLevels.map(e=>(0,S.jsxs)(v.Tr,{children:[(0,S.jsx)(v.Td,{children:e.location.code}),(0,S.jsx)(v.Td,{className:`num`,children:c(e.onHand)}),(0,S.jsx)(v.Td,{className:`num`,children:c(e.available)}),(0,S.jsx)(v.Td,{className:`num`,children:c(e.reserved)}),(0,S.jsx)(v.Td,{className:`num`,children:c(e.damaged)}),(0,S.jsx)(v.Td,{className:`num`,children:c(e.qualityControl)}),(0,S.jsx)(v.Td,{className:`num`,children:c(e.incoming)})]},e.location.id))}),g.length>0&&(0,S.jsx)(D,{itemId:m.id,locations:g}),(0,S.jsx)(r,{order:2,size:`h4`,children:`Movements`}),(0,S.jsx)(b,{label:`Movements`,headers:[`When`,`Kind`,`Quantity`,`Location`,`By`,`Reference`],numeric:[`Quantity`],minWidth:640,children:f.map((e,t)=>(0,S.jsx)(E,{itemId:m.id,after:e,isLast:t===f.length-1,onMore:e=>p(t=>[...t,e])},e??`first`))})]})}export{O as default};