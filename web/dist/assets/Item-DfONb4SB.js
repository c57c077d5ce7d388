import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{H as t,Rt as n,U as r,V as i,W as a,a as o,i as s,l as c,n as l,o as u,q as d,r as f,st as p,t as m}from"./format-6nuVJGlS.js";import{g as h,o as g}from"./index-CH_7tqEK.js";import{n as _,t as v}from"./Table-D8H3WS5z.js";import{t as y}from"./TextInput-pk_pqcFB.js";import{t as b}from"./DataTable-tKbaAP_K.js";var x=e(n(),1),S=p(),C=u(`
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
`),w=u(`
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
`),T=u(`
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
`);function E({itemId:e,after:t,isLast:n,onMore:i}){let[{data:u,fetching:p,error:h}]=c({query:w,variables:{itemId:e,first:25,after:t}}),g=u?.movements;return(0,S.jsxs)(S.Fragment,{children:[h&&(0,S.jsx)(v.Tr,{children:(0,S.jsx)(v.Td,{colSpan:6,children:(0,S.jsx)(o,{message:f(h)})})}),g?.nodes.map(e=>(0,S.jsxs)(v.Tr,{children:[(0,S.jsx)(v.Td,{children:m(e.createdAt)}),(0,S.jsx)(v.Td,{children:s(e.kind)}),(0,S.jsx)(v.Td,{className:`num`,children:l(e.quantity)}),(0,S.jsx)(v.Td,{children:e.toLocation?`${e.location.code} → ${e.toLocation.code}`:e.location.code}),(0,S.jsx)(v.Td,{children:e.actor}),(0,S.jsxs)(v.Td,{children:[e.reference,e.reason&&(0,S.jsx)(a,{size:`xs`,c:`dimmed`,children:e.reason})]})]},e.id)),n&&(p||g?.pageInfo.hasNextPage)&&(0,S.jsx)(v.Tr,{children:(0,S.jsx)(v.Td,{colSpan:6,children:p?(0,S.jsx)(d,{size:`sm`,"aria-label":`Loading movements`}):(0,S.jsx)(r,{variant:`subtle`,onClick:()=>i(g.pageInfo.endCursor),children:`Show older movements`})})})]})}function D({itemId:e,locations:n}){let[r,o]=(0,x.useState)(n[0]?.value??null),[s,u]=(0,x.useState)(``),f=s?new Date(s).toISOString():null,[{data:p,fetching:h}]=c({query:T,variables:{itemId:e,locationId:r??``,asOf:f},pause:!r||!f}),v=p?.stockLevel;return(0,S.jsxs)(t,{gap:`xs`,children:[(0,S.jsx)(i,{order:2,size:`h4`,children:`Level as of a date`}),(0,S.jsxs)(_,{align:`flex-end`,wrap:`wrap`,children:[(0,S.jsx)(g,{label:`At location`,data:n,value:r,onChange:o,maw:260}),(0,S.jsx)(y,{label:`As of`,type:`datetime-local`,value:s,onChange:e=>u(e.currentTarget.value)})]}),h&&(0,S.jsx)(d,{size:`sm`,"aria-label":`Loading`}),v&&f&&(0,S.jsxs)(a,{role:`status`,children:[`On hand `,l(v.onHand),`, available `,l(v.available),`, reserved `,l(v.reserved),`, damaged `,l(v.damaged),`, in quality control `,l(v.qualityControl),`, incoming`,` `,l(v.incoming),` — as of `,m(f),`.`]})]})}function O(){let{id:e=``}=h(),[{data:n,fetching:r,error:s}]=c({query:C,variables:{id:e}}),[u,p]=(0,x.useState)([null]),m=n?.item;if(r&&!n)return(0,S.jsx)(d,{"aria-label":`Loading`});if(s)return(0,S.jsx)(o,{message:f(s)});if(!m)return(0,S.jsx)(a,{children:`This item does not exist.`});let g=m.stockLevels.map(e=>({value:e.location.id,label:`${e.location.code} — ${e.location.name}`}));return(0,S.jsxs)(t,{children:[(0,S.jsxs)(`div`,{children:[(0,S.jsx)(i,{order:1,size:`h2`,children:m.name}),(0,S.jsxs)(a,{c:`dimmed`,children:[`SKU `,m.sku,` · counted in `,m.unit,m.reorderPoint!=null&&` · reorder at ${l(m.reorderPoint)}`]})]}),(0,S.jsx)(i,{order:2,size:`h4`,children:`Levels`}),(0,S.jsx)(b,{label:`Levels`,headers:[`Location`,`On hand`,`Available`,`Reserved`,`Damaged`,`Quality control`,`Incoming`],numeric:[`On hand`,`Available`,`Reserved`,`Damaged`,`Quality control`,`Incoming`],empty:m.stockLevels.length===0?`No stock has moved for this item yet.`:null,minWidth:640,children:m.stockLevels.map(e=>(0,S.jsxs)(v.Tr,{children:[(0,S.jsx)(v.Td,{children:e.location.code}),(0,S.jsx)(v.Td,{className:`num`,children:l(e.onHand)}),(0,S.jsx)(v.Td,{className:`num`,children:l(e.available)}),(0,S.jsx)(v.Td,{className:`num`,children:l(e.reserved)}),(0,S.jsx)(v.Td,{className:`num`,children:l(e.damaged)}),(0,S.jsx)(v.Td,{className:`num`,children:l(e.qualityControl)}),(0,S.jsx)(v.Td,{className:`num`,children:l(e.incoming)})]},e.location.id))}),g.length>0&&(0,S.jsx)(D,{itemId:m.id,locations:g}),(0,S.jsx)(i,{order:2,size:`h4`,children:`Movements`}),(0,S.jsx)(b,{label:`Movements`,headers:[`When`,`Kind`,`Quantity`,`Location`,`By`,`Reference`],numeric:[`Quantity`],minWidth:640,children:u.map((e,t)=>(0,S.jsx)(E,{itemId:m.id,after:e,isLast:t===u.length-1,onMore:e=>p(t=>[...t,e])},e??`first`))})]})}export{O as default};