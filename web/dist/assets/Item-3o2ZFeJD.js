import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,K as n,Lt as r,U as i,V as a,W as o,a as s,i as c,l,n as u,o as d,ot as f,r as p,t as m}from"./format-Dyr17DR6.js";import{g as h,o as g}from"./index-DicyGINo.js";import{n as _,t as v}from"./Table-Bh7B16wW.js";import{t as y}from"./TextInput-C8rFwgar.js";import{t as b}from"./DataTable-CHHH0OBA.js";var x=e(r(),1),S=f(),C=d(`
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
`);function E({itemId:e,after:t,isLast:r,onMore:a}){let[{data:d,fetching:f,error:h}]=l({query:w,variables:{itemId:e,first:25,after:t}}),g=d?.movements;return(0,S.jsxs)(S.Fragment,{children:[h&&(0,S.jsx)(v.Tr,{children:(0,S.jsx)(v.Td,{colSpan:6,children:(0,S.jsx)(s,{message:p(h)})})}),g?.nodes.map(e=>(0,S.jsxs)(v.Tr,{children:[(0,S.jsx)(v.Td,{children:m(e.createdAt)}),(0,S.jsx)(v.Td,{children:c(e.kind)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.quantity)}),(0,S.jsx)(v.Td,{children:e.toLocation?`${e.location.code} → ${e.toLocation.code}`:e.location.code}),(0,S.jsx)(v.Td,{children:e.actor}),(0,S.jsxs)(v.Td,{children:[e.reference,e.reason&&(0,S.jsx)(o,{size:`xs`,c:`dimmed`,children:e.reason})]})]},e.id)),r&&(f||g?.pageInfo.hasNextPage)&&(0,S.jsx)(v.Tr,{children:(0,S.jsx)(v.Td,{colSpan:6,children:f?(0,S.jsx)(n,{size:`sm`,"aria-label":`Loading movements`}):(0,S.jsx)(i,{variant:`subtle`,onClick:()=>a(g.pageInfo.endCursor),children:`Show older movements`})})})]})}function D({itemId:e,locations:r}){let[i,s]=(0,x.useState)(r[0]?.value??null),[c,d]=(0,x.useState)(``),f=c?new Date(c).toISOString():null,[{data:p,fetching:h}]=l({query:T,variables:{itemId:e,locationId:i??``,asOf:f},pause:!i||!f}),v=p?.stockLevel;return(0,S.jsxs)(t,{gap:`xs`,children:[(0,S.jsx)(a,{order:2,size:`h4`,children:`Level as of a date`}),(0,S.jsxs)(_,{align:`flex-end`,wrap:`wrap`,children:[(0,S.jsx)(g,{label:`At location`,data:r,value:i,onChange:s,maw:260}),(0,S.jsx)(y,{label:`As of`,type:`datetime-local`,value:c,onChange:e=>d(e.currentTarget.value)})]}),h&&(0,S.jsx)(n,{size:`sm`,"aria-label":`Loading`}),v&&f&&(0,S.jsxs)(o,{role:`status`,children:[`On hand `,u(v.onHand),`, available `,u(v.available),`, reserved `,u(v.reserved),`, damaged `,u(v.damaged),`, in quality control `,u(v.qualityControl),`, incoming`,` `,u(v.incoming),` — as of `,m(f),`.`]})]})}function O(){let{id:e=``}=h(),[{data:r,fetching:i,error:c}]=l({query:C,variables:{id:e}}),[d,f]=(0,x.useState)([null]),m=r?.item;if(i&&!r)return(0,S.jsx)(n,{"aria-label":`Loading`});if(c)return(0,S.jsx)(s,{message:p(c)});if(!m)return(0,S.jsx)(o,{children:`This item does not exist.`});let g=m.stockLevels.map(e=>({value:e.location.id,label:`${e.location.code} — ${e.location.name}`}));return(0,S.jsxs)(t,{children:[(0,S.jsxs)(`div`,{children:[(0,S.jsx)(a,{order:1,size:`h2`,children:m.name}),(0,S.jsxs)(o,{c:`dimmed`,children:[`SKU `,m.sku,` · counted in `,m.unit,m.reorderPoint!=null&&` · reorder at ${u(m.reorderPoint)}`]})]}),(0,S.jsx)(a,{order:2,size:`h4`,children:`Levels`}),(0,S.jsx)(b,{label:`Levels`,headers:[`Location`,`On hand`,`Available`,`Reserved`,`Damaged`,`Quality control`,`Incoming`],numeric:[`On hand`,`Available`,`Reserved`,`Damaged`,`Quality control`,`Incoming`],empty:m.stockLevels.length===0?`No stock has moved for this item yet.`:null,minWidth:640,children:m.stockLevels.map(e=>(0,S.jsxs)(v.Tr,{children:[(0,S.jsx)(v.Td,{children:e.location.code}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.onHand)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.available)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.reserved)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.damaged)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.qualityControl)}),(0,S.jsx)(v.Td,{className:`num`,children:u(e.incoming)})]},e.location.id))}),g.length>0&&(0,S.jsx)(D,{itemId:m.id,locations:g}),(0,S.jsx)(a,{order:2,size:`h4`,children:`Movements`}),(0,S.jsx)(b,{label:`Movements`,headers:[`When`,`Kind`,`Quantity`,`Location`,`By`,`Reference`],numeric:[`Quantity`],minWidth:640,children:d.map((e,t)=>(0,S.jsx)(E,{itemId:m.id,after:e,isLast:t===d.length-1,onMore:e=>f(t=>[...t,e])},e??`first`))})]})}export{O as default};