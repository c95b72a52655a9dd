// End-to-end check of the ivslocal chat WebSocket with the official IVS chat
// messaging SDK (amazon-ivs-chat-messaging 1.1.1).
//
// Input (environment):
//   CHAT_URL     the emulator's WebSocket URL, e.g. ws://127.0.0.1:PORT/
//   CHAT_TOKENS  JSON {"alice": {token, tokenExpirationTime, sessionExpirationTime}, "bob": {...}, "mallory": {...}}
//                alice needs SEND_MESSAGE, DELETE_MESSAGE and DISCONNECT_USER; bob SEND_MESSAGE only;
//                mallory's token must be refused (e.g. already used).
//   CHAT_ROOM    the room ARN, for a SendEvent call made with plain HTTP (the
//                emulator does not check signatures).
//
// Output: one JSON line on stdout describing what each step observed; the Go
// test TestNodeChatClient compares it. Exit status 1 on any failure.
import { WebSocket as WsWebSocket } from 'ws';
import {
  ChatRoom,
  DeleteMessageRequest,
  DisconnectUserRequest,
  SendMessageRequest,
} from 'amazon-ivs-chat-messaging';

// Node 20 has no stable global WebSocket; the SDK calls `new WebSocket(url, token)`.
if (typeof globalThis.WebSocket === 'undefined') {
  globalThis.WebSocket = WsWebSocket;
}

const STEP_TIMEOUT_MS = 10_000;

function fail(msg) {
  console.error(`chat_e2e: ${msg}`);
  process.exit(1);
}

const url = process.env.CHAT_URL;
if (!url) fail('CHAT_URL is not set');
const roomArn = process.env.CHAT_ROOM;
if (!roomArn) fail('CHAT_ROOM is not set');
let tokens;
try {
  tokens = JSON.parse(process.env.CHAT_TOKENS ?? '');
} catch (e) {
  fail(`CHAT_TOKENS is not JSON: ${e}`);
}

// Each token connects once; a second request means the SDK is reconnecting,
// which this test does not expect.
function tokenProvider(user) {
  let given = false;
  return async () => {
    if (given) throw new Error(`no second token for ${user}`);
    given = true;
    const t = tokens[user];
    if (!t) throw new Error(`no token for ${user}`);
    return t;
  };
}

// brief renders a logged value in one short line (WebSocket error events
// are large, circular objects).
function brief(value) {
  if (value === null || typeof value !== 'object') return String(value);
  if (value instanceof Error) return value.message;
  if (value.error instanceof Error) return `${value.type ?? 'event'}: ${value.error.message}`;
  if (typeof value.message === 'string') return value.message;
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

const quietLogger = {
  debug() {},
  info() {},
  error(...args) {
    console.error(args.map(brief).join(' '));
  },
};

function makeRoom(user) {
  const room = new ChatRoom({ regionOrUrl: url, tokenProvider: tokenProvider(user), maxReconnectAttempts: 0 });
  room.logger = quietLogger;
  room.logLevel = 'error';
  return room;
}

// next resolves with the arguments of the room's next `event`.
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
  const alice = makeRoom('alice');
  const bob = makeRoom('bob');

  const connected = Promise.all([next(alice, 'connect'), next(bob, 'connect')]);
  alice.connect();
  bob.connect();
  await within(connected, 'both rooms connect');
  out.connected = [alice.state, bob.state];

  // 1. bob sends, alice receives the same message.
  const aliceGot = next(alice, 'message');
  const sent = await within(bob.sendMessage(new SendMessageRequest('héllo from node ✓', { color: 'blue' })), 'sendMessage');
  const [received] = await within(aliceGot, 'alice receives the message');
  out.send = {
    content: sent.content,
    attributes: sent.attributes,
    sender: sent.sender.userId,
    senderAttributes: sent.sender.attributes,
    idLength: sent.id.length,
    sendTimeIsDate: sent.sendTime instanceof Date && !isNaN(sent.sendTime.getTime()),
    receivedContent: received.content,
    sameId: received.id === sent.id,
  };

  // 2. An API event (SendEvent) reaches the SDK's `event` listener.
  const bobEvent = next(bob, 'event');
  const resp = await fetch(url.replace(/^ws/, 'http').replace(/\/$/, '') + '/SendEvent', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ roomIdentifier: roomArn, eventName: 'poll:update', attributes: { votes: '3' } }),
  });
  const sentEvent = await resp.json();
  const [event] = await within(bobEvent, 'bob receives the API event');
  out.event = {
    status: resp.status,
    eventName: event.eventName,
    attributes: event.attributes,
    sameId: event.id === sentEvent.id,
  };

  // 3. bob lacks DELETE_MESSAGE: the promise rejects with a 403 ChatError.
  try {
    await within(bob.deleteMessage(new DeleteMessageRequest(sent.id, 'nope')), 'bob deleteMessage');
    out.capabilityError = null;
  } catch (e) {
    out.capabilityError = { errorCode: e.errorCode, errorMessage: e.errorMessage, hasRequestId: typeof e.requestId === 'string' };
  }

  // 4. alice deletes the message; bob is told.
  const bobDelete = next(bob, 'messageDelete');
  const deleted = await within(alice.deleteMessage(new DeleteMessageRequest(sent.id, 'spam')), 'deleteMessage');
  const [bobSawDelete] = await within(bobDelete, 'bob sees messageDelete');
  out.delete = {
    messageIdMatches: deleted.messageId === sent.id,
    reason: deleted.reason,
    bobMessageIdMatches: bobSawDelete.messageId === sent.id,
  };

  // 5. alice disconnects bob; bob is told, then closed cleanly (no reconnect).
  const bobUserDisconnect = next(bob, 'userDisconnect');
  const bobDisconnect = next(bob, 'disconnect');
  const kicked = await within(alice.disconnectUser(new DisconnectUserRequest('bob', 'bye')), 'disconnectUser');
  const [bobSawKick] = await within(bobUserDisconnect, 'bob sees userDisconnect');
  const [bobReason] = await within(bobDisconnect, 'bob is disconnected');
  out.disconnect = {
    userId: kicked.userId,
    reason: kicked.reason,
    bobSawUserId: bobSawKick.userId,
    bobDisconnectReason: bobReason,
    aliceState: alice.state,
  };

  // 6. A refused token: the handshake fails and, with no reconnect attempts
  // left, the room gives up with reason socketError.
  const mallory = makeRoom('mallory');
  const malloryDisconnect = next(mallory, 'disconnect');
  mallory.connect();
  const [malloryReason] = await within(malloryDisconnect, 'mallory is refused');
  out.refusedTokenReason = malloryReason;

  const aliceDisconnect = next(alice, 'disconnect');
  alice.disconnect();
  const [aliceReason] = await within(aliceDisconnect, 'alice disconnects');
  out.aliceDisconnectReason = aliceReason;

  console.log(JSON.stringify(out));
}

main().then(
  () => process.exit(0),
  (e) => fail(e?.stack ?? String(e)),
);
