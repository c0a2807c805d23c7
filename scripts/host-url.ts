/** Where the scripts find the Aliat host: ALIAT_URL, else http://localhost:$PORT (7071 by default). */
export function hostUrl(env: NodeJS.ProcessEnv = process.env): { url: string; from: string } {
  if (env.ALIAT_URL) return { url: env.ALIAT_URL.replace(/\/$/, ''), from: 'ALIAT_URL' };
  if (env.PORT) return { url: `http://localhost:${env.PORT}`, from: 'PORT' };
  return { url: 'http://localhost:7071', from: 'the default; set ALIAT_URL or PORT' };
}

/** Checks that a host answers, and says which URL it tried when none does. */
export async function requireHost(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { url, from } = hostUrl(env);
  process.stderr.write(`Using the Aliat host at ${url} (${from}).\n`);
  const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  if (!res) {
    process.stderr.write(
      `No Aliat host answered at ${url} (${from}). Start one with \`npm start\` (it listens on PORT, 7071 by default) or point ALIAT_URL at a deployed one.\n`,
    );
    process.exit(1);
  }
  return url;
}
