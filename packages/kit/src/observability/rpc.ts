import type { Histogram } from 'prom-client';

type RpcLabel = 'rpc_service' | 'rpc_method' | 'rpc_grpc_status_code';

/** Observes one call of `/pkg.Service/Method` with its status code name (`OK`, `NOT_FOUND`). */
export function observeRpc(
  histogram: Histogram<RpcLabel>,
  path: string,
  status: string,
  seconds: number,
): void {
  const slash = path.lastIndexOf('/');
  histogram.observe(
    {
      rpc_service: path.slice(1, slash),
      rpc_method: path.slice(slash + 1),
      rpc_grpc_status_code: status,
    },
    seconds,
  );
}
