/**
 * One process at a time per fetch job: a lock file `<dir>/job-<id>.lock` holding the owner's pid.
 * Two identical fetches started at once would otherwise both continue the same job, write the
 * same file and pay twice. A lock whose process is gone (a crash, kill -9) is taken over. It
 * guards processes sharing the data directory (one machine); jobs on a shared Postgres run from
 * several machines are not covered.
 * @module
 */
import { join } from "node:path";
import { processAlive } from "@shared/ipc/mod.ts";

/** Another live process is fetching this job. */
export class JobBusyError extends Error {
  override readonly name = "JobBusyError";
}

/** A held claim on a job; release it when the run ends. */
export class JobLock {
  readonly path: string;

  private constructor(path: string) {
    this.path = path;
  }

  /**
   * Claims job `jobId` under `dir`.
   *
   * @throws {JobBusyError} when a live process holds it
   */
  static async acquire(dir: string, jobId: number): Promise<JobLock> {
    await Deno.mkdir(dir, { recursive: true });
    const path = join(dir, `job-${jobId}.lock`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await Deno.writeTextFile(path, `${Deno.pid}\n`, { createNew: true });
        return new JobLock(path);
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      }
      const owner = Number((await Deno.readTextFile(path).catch(() => "")).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== Deno.pid && processAlive(owner)) {
        throw new JobBusyError(
          `Job ${jobId} is being fetched by process ${owner}; wait for it, or stop it first`,
        );
      }
      // Stale (its process is gone): take it over.
      await Deno.remove(path).catch(() => {});
    }
    throw new JobBusyError(`Job ${jobId} is being claimed by another process; try again`);
  }

  /** Gives the job back (idempotent). */
  async release(): Promise<void> {
    await Deno.remove(this.path).catch(() => {});
  }
}
