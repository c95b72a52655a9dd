// End-to-end check of ugc/chat moderation with the official IVS chat
// messaging SDK (amazon-ivs-chat-messaging 1.1.1) against ivslocal.
//
// Input (environment):
//   CHAT_URL  the chat messaging WebSocket URL (ivslocal's ChatEndpoint)
//   API_URL   the Go test's HTTP server:
//               POST /token {"user": "owner"|"viewer"} → 200 {token, tokenExpirationTime,
//                 sessionExpirationTime} or the error status with {"code": "..."}
//               POST /ban   {"user": "viewer"}        → 204 after chat.Service.Ban
//   The channel has the blocked term "bad".
//
// Output: one JSON line on stdout describing what each step observed; the Go
// test TestNodeModeration compares it. Exit status 1 on any failure.
import { WebSocket as WsWebSocket } from 'ws';
import { ChatRoom, SendMessageRequest } from 'amazon-ivs-chat-messaging';

if (typeof globalThis.WebSocket === 'undefined') {
  globalThis.WebSocket = WsWebSocket;
}

const STEP_TIMEOUT_MS = 10_000;

function fail(msg) {
  console.error(`chat_moderation: ${msg}`);
  process.exit(1);
}

const url = process.env.CHAT_URL;
const api = process.env.API_URL;
if (!url || !api) fail('CHAT_URL and API_URL must be set');

async function post(path, body) {
  const resp = await fetch(api + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await resp.text();
  return { status: resp.status, body: text ? JSON.parse(text) : null };
}

// The token provider asks the Go test's API, as a web app asks its backend.
function tokenProvider(user) {
  return async () => {
    const { status, body } = await post('/token', { user });
    if (status !== 200) throw new Error(`token for ${user}: ${status} ${JSON.stringify(body)}`);
    return {
      token: body.token,
      tokenExpirationTime: new Date(body.tokenExpirationTime),
      sessionExpirationTime: new Date(body.sessionExpirationTime),
    };
  };
}

const quietLogger = { debug() {}, info() {}, error() {} };

function makeRoom(user) {
  const room = new ChatRoom({ regionOrUrl: url, tokenProvider: tokenProvider(user), maxReconnectAttempts: 0 });
  room.logger = quietLogger;
  room.logLevel = 'error';
  return room;
}

function next(room, event) {
  return new Promise((resolve) => {
    const remove = room.addListener(event, (...args) => {
      remove();
      resolve(args);
    });
  });
}

function within(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const out = {};
  const owner = makeRoom('owner');
  const viewer = makeRoom('viewer');
  const connected = Promise.all([next(owner, 'connect'), next(viewer, 'connect')]);
  owner.connect();
  viewer.connect();
  await within(connected, 'both connect');

  // 1. A blocked term is refused by the review handler.
  try {
    await within(viewer.sendMessage(new SendMessageRequest('this is BAD')), 'blocked send');
    out.blocked = null;
  } catch (e) {
    out.blocked = { errorCode: e.errorCode, errorMessage: e.errorMessage };
  }

  // 2. A clean message is the first one the owner receives.
  const ownerGot = next(owner, 'message');
  await within(viewer.sendMessage(new SendMessageRequest('hello')), 'clean send');
  const [msg] = await within(ownerGot, 'owner receives');
  out.firstDelivered = {
    content: msg.content,
    senderIsViewerUserId: msg.sender.userId === msg.sender.attributes.userId,
    displayName: msg.sender.attributes.displayName,
  };

  // 3. The backend bans the viewer: disconnected at once, the room is told.
  const viewerGone = next(viewer, 'disconnect');
  const ownerSaw = next(owner, 'userDisconnect');
  const ban = await post('/ban', { user: 'viewer' });
  const [reason] = await within(viewerGone, 'viewer disconnected');
  const [seen] = await within(ownerSaw, 'owner sees userDisconnect');
  out.ban = {
    status: ban.status,
    viewerDisconnectReason: reason,
    ownerSawUserId: seen.userId === msg.sender.userId,
    ownerSawReason: seen.reason,
  };

  // 4. The banned viewer gets no new token.
  const again = await post('/token', { user: 'viewer' });
  out.tokenAfterBan = { status: again.status, code: again.body?.code ?? null };

  const ownerGone = next(owner, 'disconnect');
  owner.disconnect();
  await within(ownerGone, 'owner disconnects');
  console.log(JSON.stringify(out));
}

main().then(
  () => process.exit(0),
  (e) => fail(e?.stack ?? String(e)),
);
