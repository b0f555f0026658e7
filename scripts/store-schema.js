// Assembles schemas/dsops.schema.json from its base and the store types' own schemas
// (src/stores/<type>/schema.json), so the published schema and the registry can't drift. Used by build.js.
'use strict';
const fs = require('fs');
const path = require('path');

/** The store types' schemas, by their `type` const, in folder order. */
function storeSchemas(root) {
  const dir = path.join(root, 'src/stores');
  const out = [];
  for (const d of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, d, 'schema.json');
    if (!fs.existsSync(file)) continue;
    const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    const type = schema.properties && schema.properties.type && schema.properties.type.const;
    if (typeof type !== 'string') throw new Error(`${path.relative(root, file)}: properties.type.const must name the store type`);
    out.push({ type, schema });
  }
  return out;
}

/** The schema with every store type's definition in $defs and in the store's oneOf. */
function assemble(base, stores) {
  const s = JSON.parse(JSON.stringify(base));
  for (const [k, v] of Object.entries(s.$defs)) if (v && v.properties && v.properties.type && typeof v.properties.type.const === 'string') delete s.$defs[k];
  const defs = {};
  for (const [k, v] of Object.entries(s.$defs)) {
    defs[k] = v;
    if (k === 'store') for (const { type, schema } of stores) defs[type] = schema;
  }
  s.$defs = defs;
  s.$defs.store.oneOf = stores.map(({ type }) => ({ $ref: `#/$defs/${type}` }));
  return s;
}

/** Rewrites schemas/dsops.schema.json if the store types changed; returns the schema and each type's fields. */
function buildSchema(root) {
  const file = path.join(root, 'schemas/dsops.schema.json');
  const before = fs.readFileSync(file, 'utf8');
  const stores = storeSchemas(root);
  const schema = assemble(JSON.parse(before), stores);
  const text = JSON.stringify(schema, null, 2) + '\n';
  if (text !== before) fs.writeFileSync(file, text);
  const fields = Object.fromEntries(stores.map(({ type, schema: st }) => [type, Object.keys(st.properties)]));
  return { schema, fields };
}

module.exports = { buildSchema, assemble, storeSchemas };
