/**
 * The dashboard's guards, in the order a request meets them: security headers on every answer; a
 * Host that is not this loopback address and port is refused (DNS rebinding); the per-start token
 * is required (a cookie set by opening the printed address, or a header for scripts); a
 * state-changing request from another site is refused (CSRF). No CORS header is ever sent, so
 * another origin's page cannot read an answer.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

/** Sent with every answer: scripts and styles from this server only, no framing, no referrer, no caching. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** 32 random bytes as base64url: a new one at each start, so an old address stops working. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The cookie holding the token; the port is in its name, as cookies are shared between a host's ports. */
export function tokenCookieName(port: number): string {
  return `dskit_ui_${port}`;
}

/** Compares in constant time: hashing first makes the lengths equal, so the length leaks nothing either. */
export function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** A refusal: JSON for the API, a short text page for the page. */
function refuse(c: Context, status: 401 | 403, message: string): Response {
  if (c.req.path.startsWith("/api/")) return c.json({ error: { message } }, status);
  return c.text(message, status);
}

export interface GuardOptions {
  token: string;
  /** The port listened on, known once listening (port 0 picks one). */
  port: () => number;
}

/** Sets SECURITY_HEADERS on every answer, refusals included: mount it first. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  };
}

/** Host, token and origin, as the module comment says; mount it after securityHeaders and before every route. */
export function requestChecks({ token, port }: GuardOptions): MiddlewareHandler {
  return async (c, next) => {
    const loopback = [`127.0.0.1:${port()}`, `localhost:${port()}`];
    if (!loopback.includes(c.req.header("host") ?? "")) {
      return refuse(c, 403, "dskit ui answers only at 127.0.0.1 or localhost and its own port: this request named another host.");
    }
    const fromAddress = c.req.query("token");
    if (c.req.method === "GET" && c.req.path === "/" && fromAddress !== undefined) {
      if (!sameToken(fromAddress, token)) return refuse(c, 401, "This address holds an old or wrong token: open the address `dskit ui` printed when it started.");
      // The token goes into a cookie and out of the address bar and the history.
      setCookie(c, tokenCookieName(port()), token, { httpOnly: true, sameSite: "Strict", path: "/" });
      return c.redirect("/", 303);
    }
    const bearer = c.req.header("authorization")?.match(/^Bearer (.+)$/)?.[1];
    const given = [getCookie(c, tokenCookieName(port())), bearer, c.req.header("x-dskit-token")];
    // Every place is compared, so a stale cookie does not hide a right header.
    if (!given.map((candidate) => sameToken(candidate, token)).includes(true)) {
      return refuse(c, 401, "dskit ui needs its token: open the address `dskit ui` printed when it started (scripts: send it as Authorization: Bearer <token>).");
    }
    if (UNSAFE_METHODS.has(c.req.method) && !sameSite(c.req.header("origin"), c.req.header("sec-fetch-site"), loopback)) {
      return refuse(c, 403, "dskit ui refuses changes asked by another site (the Origin is not this dashboard): nothing was changed.");
    }
    await next();
  };
}

/** A browser names the page that sent a request; without those headers (a script), it is the user's own. */
function sameSite(origin: string | undefined, fetchSite: string | undefined, loopback: string[]): boolean {
  if (fetchSite === "cross-site") return false;
  return origin === undefined || loopback.some((host) => origin === `http://${host}`);
}
