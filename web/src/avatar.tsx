import { contrast, fullHex } from './contrast.ts';

const HEX = /^#[0-9a-f]{3,8}$/i;
/** Initials in white, else in the page's ink, else black: whichever first keeps 4.5:1 on the avatar's colour. */
const INKS = ['#ffffff', '#1f2a37', '#000000'];

/** A colour from the server, used only when it is a plain hex colour. */
export function safeColor(value: string | undefined): string | undefined {
  return value && HEX.test(value) ? value : undefined;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? parts[0][0] + parts[1][0] : (parts[0] ?? '?').slice(0, 2)).toUpperCase();
}

/** Initials on the person's or chat's colour; decorative, the name is always written next to it. */
export function Avatar({ name, color, bot }: { name: string; color?: string; bot?: boolean }) {
  const hex = fullHex(color);
  const ink = hex ? (INKS.find((i) => contrast(i, hex) >= 4.5) ?? '#000000') : undefined;
  return (
    <span class={bot ? 'avatar bot' : 'avatar'} style={{ background: safeColor(color), color: ink }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
