import assert from "node:assert/strict";
import { join } from "node:path";
import { JobBusyError, JobLock } from "./job_lock.ts";

Deno.test("JobLock: one holder per job, a stale lock of a dead process is taken over", async () => {
  const dir = await Deno.makeTempDir({ prefix: "job_lock_" });
  try {
    const lock = await JobLock.acquire(dir, 7);
    assert.equal(await Deno.readTextFile(lock.path), `${Deno.pid}\n`);
    const other = await JobLock.acquire(dir, 8); // another job is free
    await other.release();
    // A live process (pid 1) holds job 9.
    await Deno.writeTextFile(join(dir, "job-9.lock"), "1\n");
    await assert.rejects(JobLock.acquire(dir, 9), (e: unknown) => {
      assert.ok(e instanceof JobBusyError);
      assert.match(e.message, /^Job 9 is being fetched by process 1; /);
      return true;
    });
    // A process that is gone: its lock is taken over.
    const child = new Deno.Command("true").spawn();
    await child.status;
    await Deno.writeTextFile(join(dir, "job-10.lock"), `${child.pid}\n`);
    const taken = await JobLock.acquire(dir, 10);
    assert.equal(await Deno.readTextFile(taken.path), `${Deno.pid}\n`);
    await taken.release();
    await lock.release();
    await lock.release();
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["job-9.lock"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
