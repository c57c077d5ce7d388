import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{Bt as t,G as n,H as r,J as i,U as a,W as o,a as s,ct as c,i as l,n as u,o as d,r as f,t as p,u as m}from"./format-DQnp7__F.js";import{h,o as g}from"./index-DwJ7I-LU.js";import{n as _,t as v}from"./Table-DSvXy0lg.js";import{t as y}from"./TextInput-BwmA1Jdp.js";import{t as b}from"./DataTable-B0ZOeyWd.js";var x=e(t(),1),S=c(),C=d(`
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
`),w=d(`
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
`),T=d(`
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
`);function E({itemId:e,after:t,isLast:r,onMore:a}){let[{data:c,fetching:d,error:h}]=m({query:w,variables:{itemId:e,first:25,after:t}}),g=c?.movements;return(0,S.jsxs)(S.Fragment,{children:[h&&(0,S.jsx)(v.Tr,{children:(0,S.jsx)(v.Td,{colSpan:6,children:(0,S.jsx)(s,{message:f(h)})})}),g?.nodes.map(e=>(0,S.jsxs)(v.Tr,{children:[(0,S.jsx)(v.Td,{children:p(e.createdAt)}),(0,S.jsx)(v.Td,{children:l(e.kind)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.quantity)}),(0,S.jsx)(v.Td,{children:e.toLocation?`${e.location.code} → ${e.toLocation.code}`:e.location.code}),(0,S.jsx)(v.Td,{children:e.actor}),(0,S.jsxs)(v.Td,{children:[e.reference,e.reason&&(0,S.jsx)(n,{size:`xs`,c:`dimmed`,children:e.reason})]})]},e.id)),r&&(d||g?.pageInfo.hasNextPage)&&(0,S.jsx)(v.Tr,{children:(0,S.jsx)(v.Td,{colSpan:6,children:d?(0,S.jsx)(i,{size:`sm`,"aria-label":`Loading movements`}):(0,S.jsx)(o,{variant:`subtle`,onClick:()=>a(g.pageInfo.endCursor),children:`Show older movements`})})})]})}function D({itemId:e,locations:t}){let[o,s]=(0,x.useState)(t[0]?.value??null),[c,l]=(0,x.useState)(``),d=c?new Date(c).toISOString():null,[{data:f,fetching:h}]=m({query:T,variables:{itemId:e,locationId:o??``,asOf:d},pause:!o||!d}),v=f?.stockLevel;return(0,S.jsxs)(a,{gap:`xs`,children:[(0,S.jsx)(r,{order:2,size:`h4`,children:`Level as of a date`}),(0,S.jsxs)(_,{align:`flex-end`,wrap:`wrap`,children:[(0,S.jsx)(g,{label:`At location`,data:t,value:o,onChange:s,maw:260}),(0,S.jsx)(y,{label:`As of`,type:`datetime-local`,value:c,onChange:e=>l(e.currentTarget.value)})]}),h&&(0,S.jsx)(i,{size:`sm`,"aria-label":`Loading`}),v&&d&&(0,S.jsxs)(n,{role:`status`,children:[`On hand `,u(v.onHand),`, available `,u(v.available),`, reserved `,u(v.reserved),`, damaged `,u(v.damaged),`, in quality control `,u(v.qualityControl),`, incoming`,` `,u(v.incoming),` — as of `,p(d),`.`]})]})}function O(){let{id:e=``}=h(),[{data:t,fetching:o,error:c}]=m({query:C,variables:{id:e}}),[l,d]=(0,x.useState)([null]),p=t?.item;if(o&&!t)return(0,S.jsx)(i,{"aria-label":`Loading`});if(c)return(0,S.jsx)(s,{message:f(c)});if(!p)return(0,S.jsx)(n,{children:`This item does not exist.`});let g=p.stockLevels.map(e=>({value:e.location.id,label:`${e.location.code} — ${e.location.name}`}));return(0,S.jsxs)(a,{children:[(0,S.jsxs)(`div`,{children:[(0,S.jsx)(r,{order:1,size:`h2`,children:p.name}),(0,S.jsxs)(n,{c:`dimmed`,children:[`SKU `,p.sku,` · counted in `,p.unit,p.reorderPoint!=null&&` · reorder at ${u(p.reorderPoint)}`]})]}),(0,S.jsx)(r,{order:2,size:`h4`,children:`Levels`}),(0,S.jsx)(b,{label:`Levels`,headers:[`Location`,`On hand`,`Available`,`Reserved`,`Damaged`,`Quality control`,`Incoming`],numeric:[`On hand`,`Available`,`Reserved`,`Damaged`,`Quality control`,`Incoming`],empty:p.stockLevels.length===0?`No stock has moved for this item yet.`:null,minWidth:640,children:p.stockLevels.map(e=>(0,S.jsxs)(v.Tr,{children:[(0,S.jsx)(v.Td,{children:e.location.code}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.onHand)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.available)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.reserved)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.damaged)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.qualityControl)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.incoming)})]},e.location.id))}),g.length>0&&(0,S.jsx)(D,{itemId:p.id,locations:g}),(0,S.jsx)(r,{order:2,size:`h4`,children:`Movements`}),(0,S.jsx)(b,{label:`Movements`,headers:[`When`,`Kind`,`Quantity`,`Location`,`By`,`Reference`],numeric:[`Quantity`],minWidth:640,children:l.map((e,t)=>(0,S.jsx)(E,{itemId:p.id,after:e,isLast:t===l.length-1,onMore:e=>d(t=>[...t,e])},e??`first`))})]})}export{O as default};