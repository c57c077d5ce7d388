import{n as e}from"./rolldown-runtime-WkwZ5CU-.js";import{Bt as t,U as n,W as r,a as i,ct as a,l as o,n as s,o as c,r as l,u}from"./format-DQnp7__F.js";import{c as d,d as f,i as p,p as m}from"./index-DwJ7I-LU.js";import{n as h,t as g}from"./Table-DSvXy0lg.js";import{t as _}from"./Modal-DcVQ9cdk.js";import{t as v}from"./TextInput-BwmA1Jdp.js";import{i as y,n as b,r as x,t as S}from"./ListTitle-C2eauPI7.js";import{t as C}from"./DataTable-B0ZOeyWd.js";import{n as w,t as T}from"./Pager-CPsM-POz.js";import{n as E}from"./session-CrdwaJyG.js";import{t as D}from"./userErrors-wH9ieYke.js";var O=e(t(),1);function k(e,t,n={leading:!1}){let[r,i]=(0,O.useState)(e),a=(0,O.useRef)(!1),o=(0,O.useRef)(null),s=(0,O.useRef)(!1),c=(0,O.useRef)(e);c.current=e;let l=(0,O.useCallback)(()=>{window.clearTimeout(o.current),o.current=null},[]),u=(0,O.useCallback)(()=>{l(),s.current=!1},[]),d=(0,O.useCallback)(()=>{o.current&&(u(),s.current=!1,i(c.current))},[]);return(0,O.useEffect)(()=>{a.current&&(l(),!s.current&&n.leading?(s.current=!0,i(e),o.current=window.setTimeout(()=>{s.current=!1},t)):o.current=window.setTimeout(()=>{s.current=!1,i(e)},t))},[e,n.leading,t]),(0,O.useEffect)(()=>(a.current=!0,u),[]),[r,u,{cancel:u,flush:d}]}var A=a(),j={sku:``,name:``,unit:``,reorderPoint:``,barcode:``};function M(e,t){let n={};if(t&&(e.sku.trim()?e.sku.trim().length>100&&(n.sku=`A SKU has at most 100 characters.`):n.sku=`Enter a SKU.`),e.name.trim()?e.name.trim().length>200&&(n.name=`A name has at most 200 characters.`):n.name=`Enter a name.`,e.unit.trim().length>32&&(n.unit=`A unit has at most 32 characters.`),e.reorderPoint!==``){let t=Number(e.reorderPoint);(!Number.isInteger(t)||t<0)&&(n.reorderPoint=`Enter a whole number of at least 0, or leave it empty.`)}return e.barcode.trim().length>100&&(n.barcode=`A barcode has at most 100 characters.`),n}function N({initial:e,creating:t,onSave:a}){let[o,s]=(0,O.useState)({...j,...e}),[c,l]=(0,O.useState)({}),[u,f]=(0,O.useState)(null),[p,m]=(0,O.useState)(!1),g=(e,t)=>{s(n=>({...n,[e]:t})),l(t=>({...t,[e]:void 0}))};async function _(e){if(e.preventDefault(),p)return;let n=M(o,t);if(l(n),f(null),!(Object.keys(n).length>0)){m(!0);try{f(await a(o))}finally{m(!1)}}}return(0,A.jsx)(`form`,{onSubmit:_,noValidate:!0,children:(0,A.jsxs)(n,{children:[(0,A.jsx)(i,{message:u}),t&&(0,A.jsx)(v,{label:`SKU`,required:!0,value:o.sku,onChange:e=>g(`sku`,e.currentTarget.value),error:c.sku,"data-autofocus":!0}),(0,A.jsx)(v,{label:`Name`,required:!0,value:o.name,onChange:e=>g(`name`,e.currentTarget.value),error:c.name,"data-autofocus":!t||void 0}),(0,A.jsx)(v,{label:`Unit`,placeholder:`each`,value:o.unit,onChange:e=>g(`unit`,e.currentTarget.value),error:c.unit}),(0,A.jsx)(d,{label:`Reorder point`,min:0,allowDecimal:!1,allowNegative:!1,value:o.reorderPoint,onChange:e=>g(`reorderPoint`,e),error:c.reorderPoint}),(0,A.jsx)(v,{label:`Barcode`,description:`What a scanner reads; empty for none.`,value:o.barcode,onChange:e=>g(`barcode`,e.currentTarget.value),error:c.barcode}),(0,A.jsx)(h,{justify:`flex-end`,children:(0,A.jsx)(r,{type:`submit`,loading:p,children:`Save`})})]})})}var P=c(`
  query ItemsPage($first: Int!, $after: String, $query: String, $includeArchived: Boolean) {
    items(first: $first, after: $after, query: $query, includeArchived: $includeArchived) {
      nodes { id sku name unit reorderPoint barcode archivedAt }
      pageInfo { hasNextPage endCursor }
    }
  }
`),F=c(`
  mutation CreateItem($input: CreateItemInput!) {
    createItem(input: $input) {
      item { id sku name unit reorderPoint barcode archivedAt }
      userErrors { field message code }
    }
  }
`),I=c(`
  mutation UpdateItem($input: UpdateItemInput!) {
    updateItem(input: $input) {
      item { id sku name unit reorderPoint barcode archivedAt }
      userErrors { field message code }
    }
  }
`),L=c(`
  mutation ArchiveItem($input: ArchiveItemInput!) {
    archiveItem(input: $input) {
      item { id archivedAt }
      userErrors { field message code }
    }
  }
`),R=c(`
  mutation UnarchiveItem($input: ArchiveItemInput!) {
    unarchiveItem(input: $input) {
      item { id archivedAt }
      userErrors { field message code }
    }
  }
`);function z(e){return e.reorderPoint===``?null:Number(e.reorderPoint)}function B(){let e=p(),t=E(e,`admin`),r=w(),[a,c]=(0,O.useState)(``),[d]=k(a.trim(),250),[j,M]=(0,O.useState)(!1),[{data:B,fetching:V,error:H},U]=u({query:P,variables:{first:50,after:r.after,query:d||null,includeArchived:j}}),[W,G]=(0,O.useState)(!1),[K,q]=(0,O.useState)(null),[J,Y]=(0,O.useState)(null),[,X]=o(F),[,Z]=o(I),Q=()=>U({requestPolicy:`network-only`});async function ee(e){let t=await X({input:{sku:e.sku.trim(),name:e.name.trim(),unit:e.unit.trim()||void 0,reorderPoint:z(e)??void 0,barcode:e.barcode.trim()||void 0}});return t.error?l(t.error):D(t.data?.createItem.userErrors)||(G(!1),Q(),null)}async function te(e,t){let n=await Z({input:{id:e,name:t.name.trim(),unit:t.unit.trim()||void 0,reorderPoint:z(t),barcode:t.barcode.trim()||null}});return n.error?l(n.error):D(n.data?.updateItem.userErrors)||(q(null),Q(),null)}let $=B?.items.nodes??[],ne=[`SKU`,`Name`,`Unit`,`Reorder point`,`Barcode`,`Status`,...t?[`Actions`]:[]];return(0,A.jsxs)(n,{children:[(0,A.jsx)(S,{title:`Items`,newLabel:`New item`,canCreate:t,onNew:()=>G(!0)}),(0,A.jsxs)(h,{align:`flex-end`,children:[(0,A.jsx)(v,{label:`Search`,type:`search`,placeholder:`SKU, barcode or name`,value:a,onChange:e=>{c(e.currentTarget.value),r.reset()},maw:360}),(0,A.jsx)(y,{checked:j,onChange:M,cursors:r})]}),(0,A.jsx)(i,{message:H?l(H):null}),(0,A.jsx)(C,{label:`Items`,headers:ne,numeric:[`Reorder point`],empty:!V&&$.length===0?d?`No item matches.`:`No items yet.`:null,children:$.map(e=>(0,A.jsxs)(g.Tr,{children:[(0,A.jsx)(g.Td,{children:(0,A.jsx)(f,{component:m,to:`/items/${encodeURIComponent(e.id)}`,children:e.sku})}),(0,A.jsx)(g.Td,{children:e.name}),(0,A.jsx)(g.Td,{children:e.unit}),(0,A.jsx)(g.Td,{className:`num`,children:s(e.reorderPoint)}),(0,A.jsx)(g.Td,{children:e.barcode}),(0,A.jsx)(b,{row:e,name:e.sku,admin:t,onEdit:()=>q(e),onArchive:()=>Y(e)})]},e.id))}),(0,A.jsx)(T,{cursors:r,pageInfo:B?.items.pageInfo}),(0,A.jsx)(_,{opened:W,onClose:()=>G(!1),title:`New item`,children:(0,A.jsx)(N,{creating:!0,onSave:ee})}),(0,A.jsx)(_,{opened:K!==null,onClose:()=>q(null),title:K?`Edit ${K.sku}`:``,children:K&&(0,A.jsx)(N,{creating:!1,initial:{name:K.name,unit:K.unit,reorderPoint:K.reorderPoint??``,barcode:K.barcode??``},onSave:e=>te(K.id,e)},K.id)}),(0,A.jsx)(x,{row:J,name:J?.sku,archiveMessage:`It takes no new stock: receiving, reserving or transferring it is refused. Its stock can still leave, and its history stays.`,archive:L,unarchive:R,onDone:Q,onClose:()=>Y(null)})]})}export{B as default};