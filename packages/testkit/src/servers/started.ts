/** A server started for a test run or `npm start`, and how to stop it. */
export interface StartedServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * What becomes of the data: a test run throws it away; `npm start` keeps it (in `dataDir` for the
 * processes it runs itself, in named Docker volumes for its containers) so a restart finds it.
 */
export type Persistence =
  | { kind: 'throwaway' }
  | {
      kind: 'kept';
      dataDir: string;
      pgPort: number;
      natsPort: number;
      /** The name of the Docker volume for a server's data. */
      volume(server: 'postgres' | 'nats'): string;
    };
