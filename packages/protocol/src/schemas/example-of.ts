/**
 * A minimal valid value of a schema: its required fields only, each given
 * the simplest value its type and limits allow. The resource products'
 * endpoint examples start from it (their messages are generated from the
 * SDKs' surface, so hand-writing 92 examples would only repeat the schemas).
 */
import { KEYWORD } from './builder.js';

interface SchemaNode {
  type?: string;
  enum?: string[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  anyOf?: SchemaNode[];
  [KEYWORD.format]?: string;
}

export function exampleOf(schema: unknown, name = 'value'): unknown {
  const node = schema as SchemaNode;
  if (node.anyOf !== undefined) return exampleOf(node.anyOf[0], name);
  if (node.enum !== undefined) return node.enum[0];
  switch (node[KEYWORD.format]) {
    case 'minor-units': return '1000';
    case 'currency': return 'USD';
    case 'date-time': return '2030-01-01T00:00:00Z';
    case 'url':
    case 'http-url': return 'https://merchant.example/';
    case 'decimal': return 1;
    case 'json': return {};
  }
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const field of node.required ?? []) out[field] = exampleOf(node.properties?.[field], field);
      return out;
    }
    case 'array': return [exampleOf(node.items, name)];
    case 'integer':
    case 'number': return Math.max(node.minimum ?? 1, Math.min(1, node.maximum ?? 1));
    case 'boolean': return false;
    default: {
      const text = `${name}-1`;
      return node.maxLength !== undefined ? text.slice(0, node.maxLength) : text;
    }
  }
}
