// Accurate types for heroku-client 3.1.4, written from its source: @types/heroku-client lacks PUT,
// types `host` as an object and the middleware response as a ServerResponse.
declare module 'heroku-client' {
  import type { IncomingMessage } from 'node:http';

  namespace Heroku {
    interface Options {
      /** Full base URL (`https://api.heroku.com`, `http://127.0.0.1:5000`); scheme defaults to https. */
      host?: string;
      token?: string;
      userAgent?: string;
      timeout?: number;
      headers?: Record<string, string>;
      partial?: boolean;
      parseJSON?: boolean;
      json?: boolean;
      middleware?: (res: IncomingMessage, next: () => void) => void;
    }
    interface RequestOptions extends Options {
      method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
      path: string;
      body?: unknown;
    }
  }
  class Heroku {
    constructor(options?: Heroku.Options);
    request<T = unknown>(options: Heroku.RequestOptions): Promise<T>;
  }
  export default Heroku;
}

// The class behind each request; its `isRetryAllowed` decides whether a broken connection is resent.
declare module 'heroku-client/lib/request.js' {
  class HerokuRequest {
    constructor(options: import('heroku-client').default.RequestOptions);
    isRetryAllowed(error: unknown): boolean;
  }
  export default HerokuRequest;
}
