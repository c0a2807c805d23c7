/** One dependency's readiness check. */
export interface DependencyCheck {
  name: string;
  check: () => Promise<void>;
}

export interface DependencyState {
  name: string;
  status: 'up' | 'down';
  latencyMs: number;
  /** Why it is down: an error type or code, never a message that could quote data. */
  reason?: string;
}

/** Runs every check in parallel, each bounded by `timeoutMs`. */
export async function checkDependencies(checks: DependencyCheck[], timeoutMs: number): Promise<DependencyState[]> {
  return Promise.all(
    checks.map(async ({ name, check }) => {
      const started = performance.now();
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) =>
            setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'Timeout' })), timeoutMs).unref(),
          ),
        ]);
        return { name, status: 'up' as const, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        const code = (error as { code?: string | number }).code;
        const reason = code !== undefined ? String(code) : error instanceof Error ? error.name : 'Error';
        return { name, status: 'down' as const, latencyMs: Math.round(performance.now() - started), reason };
      }
    }),
  );
}
