// Types of transport-floor.js for the tests that read it (the bench itself is plain JavaScript).
export interface TransportFloor {
  rps: number;
  clients: number;
  cpuMsPerRequest: Record<string, number | null>;
  events: { published: number; applied: number };
}

export function transportFloor(options: {
  databases: { workorder: string; customer: string };
  customerId: string;
  natsUrl: string;
  seconds: number;
  clients: number;
  prefix?: string;
}): Promise<TransportFloor>;
