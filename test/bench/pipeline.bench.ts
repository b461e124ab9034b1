/**
 * Pipeline overhead on the real clients against the loopback fakes, every prediction answered
 * after a fixed latency L, with the DEFAULT configuration (no clip-concurrency or in-flight
 * overrides: what a user gets). (1) Approve-to-video of one 7-scene ad against its critical
 * path: every clip and the music start together, so the slowest clip (L) plus the compose.
 * (2) 20 renders at once in one process under the default in-flight cap against the ideal for
 * that cap. Run with `npm run bench:pipeline`; the last line is machine-readable.
 * The compose time in the critical path is the compose step of that same render, as it ran
 * (encode and output check included), plus the running time of its audio measurement (the
 * audio-gains step's processes: that used to run inside compose; render now starts it once the
 * music is in, which here is with the clips, so it stays on the path; its wait for a media slot
 * is overhead, not path). The progress sink asks for preview
 * frames like the chat status does, so the render makes them as it would in a thread. After (1)
 * the breakdown says where approve-to-video went (pipeline-breakdown.ts; BENCH_VERBOSE=1 lists
 * every media process). Not included: the upload to the chat (the bot's delivery, after the
 * render returns) and a voice-over (off with these fakes: the default speech provider is OpenAI's
 * own API, config-ports.ts). BENCH_RENDERS=1 is a quick smoke run of the bench itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { fakeMedia } from '../fakes/replicate-media.ts';
import { startFakes } from '../helpers/fakes.ts';
import { breakdownLines, mediaPurpose, recordMedia, type StepRecordRow } from './pipeline-breakdown.ts';

const L = Number(process.env.BENCH_LATENCY_MS ?? 2000);
// 20 unless smoke-testing the bench itself (BENCH_RENDERS=2).
const RENDERS = Number(process.env.BENCH_RENDERS ?? 20);
const CHAIN = 3; // mood image -> scene image -> clip, for a whole run
const DURATIONS = [4, 4, 4, 4, 4, 4, 6];
const PREDICTIONS_PER_RENDER = 3 + DURATIONS.length * 2 + 1;

const plan7 = () => ({
  scenes: DURATIONS.map((durationS, i) => ({
    kind: i === 0 ? 'hook' : i === 1 ? 'intro' : i === DURATIONS.length - 1 ? 'cta' : 'feature',
    durationS,
    title: `Scene ${i + 1}`,
    onScreen: `Scene ${i + 1}`,
    voiceLine: `Scene ${i + 1} says a few words.`,
    description: `Scene ${i + 1}: the product in use`,
    stylePrompt: 'soft light, 35mm',
  })),
});

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

async function main() {
  const fakes = await startFakes({ latencyMs: { image: L, video: L, audio: L } });
  fakes.openai.setDefault('scene_plan', plan7);
  // Media the fake serves is made once up front: not part of what is measured.
  await Promise.all([
    fakeMedia('image'),
    fakeMedia('video', 4),
    fakeMedia('video', 6),
    fakeMedia('audio', 30),
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-bench-pipeline-'));
  const config = loadConfig({
    ...fakes.env,
    ADGEN_DATA_DIR: dir,
    ADGEN_PROFILE: 'tiny',
    // Polls are 5% of the time waited apart (100 ms at L = 2 s): at most L/20 late per prediction.
    // Not a concurrency setting: clip concurrency and the in-flight cap stay at their defaults.
    REPLICATE_POLL_MIN_MS: '100',
  });
  const CAP = config.replicate?.maxInFlight ?? 10;
  // The chat status asks for a preview frame of each clip as it lands (bot/core/status.ts): the
  // render makes them on its way, so the bench's sink asks too.
  const app = createApp(config, { progress: { previews: true, report() {} } });
  let n = 0;
  /** A whole run; `onApproved` marks the moment the storyboard is approved (render starts). */
  const render = async (onApproved?: () => void) => {
    const runId = `bench-${++n}`;
    // One person per render: spend control allows a person 2 paid renders at once by default.
    await app.pipeline.createRun(
      runId,
      newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: n, requester: `bench-user-${n}` }),
    );
    await app.pipeline.moodBoards(runId);
    await app.runs.setInput(runId, { ...(await app.pipeline.get(runId)).input, moodChoice: 0 });
    await app.pipeline.storyboard(runId);
    onApproved?.();
    await app.pipeline.render(runId);
    const row = app.db.$client
      .prepare("select duration_ms as ms from steps where run_id = ? and step_id like 'compose/%'")
      .get(runId) as { ms: number };
    return row.ms;
  };
  try {
    console.log(
      `pipeline benchmark: L=${L} ms, ${DURATIONS.length} scenes, tiny profile, cap ${CAP}, ${os.cpus().length} cores`,
    );
    await render(); // warm-up (JIT, first ffmpeg spawns): not scored
    let approvedAt = 0;
    const t0 = performance.now();
    const media = recordMedia();
    const composeStepMs = await render(() => {
      approvedAt = performance.now();
    });
    const end = performance.now();
    const trace = media.stop();
    // The audio measurement compose needs used to run inside the compose step; render now runs it
    // as its own step (audio-gains) once the music is in, which here is with the clips, so it is
    // on the path: its processes' running time (not their wait for a media slot) counts with it.
    const measureMs = Math.round(
      trace
        .filter((e) => ['loudness measure', 'compose audio measure'].includes(mediaPurpose(e)))
        .reduce((sum, e) => sum + (e.endedAt - e.startedAt), 0),
    );
    const composeMs = composeStepMs + measureMs;
    const steps = app.db.$client
      .prepare('select step_id, updated_at, duration_ms from steps where run_id = ?')
      .all(`bench-${n}`) as StepRecordRow[];
    const breakdown = breakdownLines({
      approvedAt,
      endAt: end,
      predictions: [...fakes.replicate.predictions.values()],
      media: trace,
      steps,
    });
    const single = end - t0;
    const idealSingle = CHAIN * L + composeMs;
    const approveToVideo = end - approvedAt;
    const criticalPath = L + composeMs; // the slowest clip (all start together) + compose
    console.log(
      `  approve-to-video: ${(approveToVideo / 1000).toFixed(2)} s vs critical path ${(criticalPath / 1000).toFixed(2)} s (slowest clip ${L} ms + audio measurement ${measureMs} ms + compose ${composeStepMs} ms) = ${(approveToVideo / criticalPath).toFixed(3)}`,
    );
    console.log(
      `  whole run: ${(single / 1000).toFixed(2)} s vs ${(idealSingle / 1000).toFixed(2)} s (${CHAIN} x ${L} ms + compose ${composeMs} ms)`,
    );
    for (const line of breakdown) console.log(line);

    const t1 = performance.now();
    const finished: number[] = [];
    const composes = await Promise.all(
      Array.from({ length: RENDERS }, () =>
        render().finally(() => finished.push((performance.now() - t1) / 1000)),
      ),
    );
    const twenty = performance.now() - t1;
    const total = RENDERS * PREDICTIONS_PER_RENDER;
    const meanCompose = composes.reduce((a, b) => a + b, 0) / composes.length;
    // The ideal under the cap: every slot busy all the time, only the last compose not overlapped;
    // and never less than the critical path or the composes' CPU time spread over the cores.
    const waves = Math.ceil(total / CAP);
    const ideal20 = Math.max(waves * L + composeMs, idealSingle, (RENDERS * composeMs) / os.cpus().length);
    console.log(
      `  ${RENDERS} at once: ${(twenty / 1000).toFixed(2)} s vs ideal ${(ideal20 / 1000).toFixed(2)} s (${total} predictions, ${waves} waves of ${CAP} x ${L} ms + compose; mean compose under load ${Math.round(meanCompose)} ms)`,
    );
    console.log(`  renders finished at: ${finished.map((t) => t.toFixed(1)).join(' ')} s`);
    console.log(
      `  creates: ${fakes.replicate.stats.creates} (expected ${(RENDERS + 2) * PREDICTIONS_PER_RENDER}), peak running on the fake: ${fakes.replicate.stats.peakRunning}`,
    );
    const rss = Math.max(peakRss, process.memoryUsage().rss) / 1024 / 1024;
    console.log(
      `pipeline-bench approve_to_video=${(approveToVideo / criticalPath).toFixed(3)} overhead_single=${(single / idealSingle).toFixed(3)} overhead_20=${(twenty / ideal20).toFixed(3)} rss_mb=${Math.round(rss)}`,
    );
  } finally {
    clearInterval(sampler);
    app.close();
    await fakes.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
