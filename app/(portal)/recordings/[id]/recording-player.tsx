'use client';

import 'asciinema-player/dist/bundle/asciinema-player.css';
// the terminal's own bundled font (see terminal-pane.tsx), so a recording looks as the session did
import '@fontsource-variable/jetbrains-mono';
import '@fontsource-variable/noto-sans-sc';
import type { Player } from 'asciinema-player';
import { useTranslations } from 'next-intl';
import { useEffect, useMemo, useRef, useState } from 'react';
import { clockOffset } from '../_lib/clock';
import { castMarkerLabels, markerIndexes } from '../_lib/markers';

/** Pauses longer than this (seconds) are shortened to it: a session is mostly someone reading. */
export const PLAYBACK_IDLE_TIME_LIMIT_S = 2;
export const PLAYBACK_SPEEDS = [0.5, 1, 1.5, 2, 4, 8] as const;
const PLAYER_FONT_FAMILY =
  "'JetBrains Mono Variable', 'Noto Sans SC Variable', 'Noto Sans Mono CJK SC', 'Microsoft YaHei', 'PingFang SC', monospace";

type Load =
  | { state: 'loading' }
  | { state: 'ready'; cast: string }
  | { state: 'error'; status: string }
  | { state: 'no-wasm' };

/**
 * Whether this page may compile WebAssembly (the player's terminal is a WebAssembly module): a
 * Content-Security-Policy without 'wasm-unsafe-eval' forbids it, and the player would stay blank.
 */
function webAssemblyAllowed(): boolean {
  try {
    new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    return true;
  } catch {
    return false;
  }
}

/**
 * The asciinema player (loaded in the browser only) with the recording's command lines beside it:
 * clicking one jumps the player to that command's marker and plays from there. The player's own
 * controls play, pause and seek; the speed is chosen here (the player takes it when created, so a
 * new speed re-creates it at the same place).
 */
export function RecordingPlayer({
  castUrl,
  commands,
  startAtOffsetMs,
}: {
  castUrl: string;
  commands: { offsetMs: number; command: string }[];
  /** Open at the command recorded at this offset (a search hit's link), playing. */
  startAtOffsetMs?: number;
}) {
  const t = useTranslations('terminal.recordings.player');
  const host = useRef<HTMLDivElement>(null);
  const player = useRef<Player | null>(null);
  const playing = useRef(false);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [speed, setSpeed] = useState(1);
  // the speed of the player that is ready (null while one is being made)
  const [readyAt, setReadyAt] = useState<number | null>(null);
  const ready = readyAt !== null;
  const [current, setCurrent] = useState<number | null>(null);
  // the player's own clock (seconds, idle time trimmed) where the last jump landed, and its length:
  // shown to scripts and tests as data attributes (its on-screen clock counts whole seconds)
  const [landed, setLanded] = useState<number | null>(null);
  const [duration, setDuration] = useState<number | null>(null);
  // where to be in a re-created player: the old one's time, or the command a link asked for
  const resume = useRef<{ time?: number; marker?: number; play: boolean } | null>(null);

  const markers = useMemo(
    () =>
      load.state === 'ready'
        ? markerIndexes(
            commands.map((c) => c.command),
            castMarkerLabels(load.cast),
          )
        : commands.map(() => null),
    [load, commands],
  );

  useEffect(() => {
    let gone = false;
    if (!webAssemblyAllowed()) {
      // once, before the download: nothing here could play it
      queueMicrotask(() => !gone && setLoad({ state: 'no-wasm' }));
      return () => {
        gone = true;
      };
    }
    fetch(castUrl, { credentials: 'same-origin', cache: 'no-store' })
      .then(async (res) => {
        if (gone) return;
        if (!res.ok) setLoad({ state: 'error', status: String(res.status) });
        else setLoad({ state: 'ready', cast: await res.text() });
      })
      .catch((err: unknown) => !gone && setLoad({ state: 'error', status: String(err) }));
    return () => {
      gone = true;
    };
  }, [castUrl]);

  // a search hit's link: start at that command, playing
  useEffect(() => {
    if (load.state !== 'ready' || startAtOffsetMs === undefined) return;
    const i = commands.findIndex((c) => c.offsetMs === startAtOffsetMs);
    const marker = i >= 0 ? markers[i] : null;
    if (marker !== null && marker !== undefined) resume.current = { marker, play: true };
  }, [load, markers, commands, startAtOffsetMs]);

  useEffect(() => {
    if (load.state !== 'ready' || !host.current) return;
    const el = host.current;
    let gone = false;
    let made: Player | null = null;
    setReadyAt(null);
    void import('asciinema-player').then(async ({ create }) => {
      if (gone) return;
      made = create({ data: load.cast }, el, {
        idleTimeLimit: PLAYBACK_IDLE_TIME_LIMIT_S,
        speed,
        fit: 'width',
        preload: true,
        // always shown: a phone has no hover to bring them up
        controls: true,
        terminalFontFamily: PLAYER_FONT_FAMILY,
      });
      player.current = made;
      made.addEventListener('marker', ({ index }) => setCurrent(index));
      made.addEventListener('play', () => {
        playing.current = true;
        setDuration(made?.getDuration() ?? null);
      });
      made.addEventListener('playing', () => (playing.current = true));
      made.addEventListener('pause', () => (playing.current = false));
      made.addEventListener('ended', () => (playing.current = false));
      const at = resume.current;
      resume.current = null;
      if (at) {
        if (at.marker !== undefined) {
          setCurrent(at.marker);
          await made.seek({ marker: at.marker });
          setLanded(made.getCurrentTime());
        } else if (at.time !== undefined) await made.seek(at.time);
        if (at.play && !gone) await made.play();
      }
      if (!gone) setReadyAt(speed);
    });
    return () => {
      gone = true;
      if (made) {
        // a new speed: carry on from here
        resume.current ??= { time: made.getCurrentTime(), play: playing.current };
        made.dispose();
      }
      if (player.current === made) player.current = null;
      playing.current = false;
    };
  }, [load, speed]);

  async function jump(commandIndex: number) {
    const p = player.current;
    const marker = markers[commandIndex];
    if (!p || marker === null || marker === undefined) return;
    setCurrent(marker);
    await p.seek({ marker });
    setLanded(p.getCurrentTime());
    await p.play();
  }

  return (
    <div className="grid min-w-0 gap-4 lg:grid-cols-[minmax(0,1fr)_18rem]">
      <section className="min-w-0 space-y-2" aria-label={t('playerLabel')}>
        <div
          ref={host}
          className="min-h-40 overflow-hidden rounded-lg bg-slate-950"
          data-testid="recording-player"
          data-ready={ready ? 'true' : undefined}
          data-speed={readyAt ?? undefined}
          data-landed={landed ?? undefined}
          data-duration={duration ?? undefined}
        >
          {load.state === 'loading' && <p className="p-4 text-sm text-slate-300">{t('loading')}</p>}
          {load.state === 'error' && (
            <p className="p-4 text-sm text-red-300" role="alert">
              {t('loadError', { status: load.status })}
            </p>
          )}
          {load.state === 'no-wasm' && (
            <p className="p-4 text-sm text-red-300" role="alert">
              {t('noWasm')}
            </p>
          )}
        </div>
        <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-600 dark:text-slate-400">
          <p className="min-w-0 flex-1 basis-64">{t('idleNote', { seconds: PLAYBACK_IDLE_TIME_LIMIT_S })}</p>
          <label className="flex items-center gap-2 text-xs font-normal">
            {t('speed')}
            <select
              className="input mt-0 w-auto py-1"
              value={speed}
              onChange={(e) => setSpeed(Number(e.target.value))}
              disabled={load.state !== 'ready'}
            >
              {PLAYBACK_SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
        </div>
      </section>
      <section className="card min-w-0 self-start p-3" aria-labelledby="recording-commands-heading">
        <h2 id="recording-commands-heading" className="text-sm font-semibold">
          {t('commandsHeading')}
        </h2>
        {commands.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{t('noCommands')}</p>
        ) : (
          <>
            <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{t('commandsHint')}</p>
            <ol className="mt-2 max-h-[28rem] space-y-0.5 overflow-y-auto" data-testid="recording-commands">
              {commands.map((c, i) => {
                const marker = markers[i];
                const missing = load.state === 'ready' && marker === null;
                const here = marker !== null && marker === current;
                return (
                  <li key={i}>
                    <button
                      type="button"
                      className={`flex w-full items-baseline gap-2 rounded px-2 py-1 text-left text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60 disabled:hover:bg-transparent dark:hover:bg-slate-800 ${
                        here ? 'bg-sky-50 ring-1 ring-sky-300 dark:bg-sky-950/50 dark:ring-sky-800' : ''
                      }`}
                      onClick={() => void jump(i)}
                      disabled={!ready || marker === null || marker === undefined}
                      title={
                        missing
                          ? t('notInRecording')
                          : t('jump', { command: c.command, offset: clockOffset(c.offsetMs) })
                      }
                      aria-current={here ? 'step' : undefined}
                      data-command={c.command}
                    >
                      <span className="shrink-0 font-mono text-xs text-slate-600 tabular-nums dark:text-slate-400">
                        {clockOffset(c.offsetMs)}
                      </span>
                      <span className="min-w-0 font-mono break-all">{c.command}</span>
                    </button>
                  </li>
                );
              })}
            </ol>
          </>
        )}
      </section>
    </div>
  );
}
