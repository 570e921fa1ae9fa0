// TEMPORARY while the resource products are built in parallel: every path
// of the four products answers NO_INTERFACE_DEF until its product module
// overrides it. Deleted once all four serve every path.
import { AmsError, ENDPOINT_PATHS, type EndpointPath } from '@amsgate/protocol';
import { endpointModule, type EndpointModule } from '../endpoints/contract.js';

type ResourcePath = Extract<EndpointPath, `billing/${string}` | `meter/${string}` | `tax/${string}` | `aba/${string}`>;

export const PENDING_RESOURCE_ENDPOINTS = Object.fromEntries(
  ENDPOINT_PATHS.filter((path) => /^(billing|meter|tax|aba)\//.test(path)).map((path) => [
    path,
    endpointModule({ path: path as ResourcePath, handle: () => Promise.reject(new AmsError('NO_INTERFACE_DEF', `${path} is not served yet`)) }) as EndpointModule<ResourcePath>,
  ]),
) as { [P in ResourcePath]: EndpointModule<P> };
