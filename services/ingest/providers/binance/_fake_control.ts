/**
 * The fake Binance's answers to control messages (VENUES.md 1.3): `{"result":...,"id":...}` on
 * success and the documented `{"code":n,"msg":...}` errors otherwise. Binance documents no reply
 * for a stream of an unlisted symbol; the fake answers with a code 2 "Invalid request" error in
 * the documented shape so tests can exercise a refused subscription.
 * @module
 */

/** What the fake keeps per connection. */
export interface ControlState {
  streams: Set<string>;
  combined: boolean;
}

const METHODS = ["SUBSCRIBE", "UNSUBSCRIBE", "LIST_SUBSCRIPTIONS", "SET_PROPERTY", "GET_PROPERTY"];
const ID = /^[A-Za-z0-9]{1,36}$/;

/** The reply to one client text frame; updates `state`. */
export function controlReply(
  text: string,
  state: ControlState,
  validStream: (stream: string) => boolean,
): string {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch {
    return `{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}`;
  }
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return `{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}`;
  }
  const { method, params, id } = request as Record<string, unknown>;
  if (method === undefined) {
    return `{"code":2,"msg":"Invalid request: missing field \`method\` at line 1 column ${text.length}"}`;
  }
  if (typeof method !== "string" || !METHODS.includes(method)) {
    return `{"code":2,"msg":"Invalid request: unknown variant ${
      JSON.stringify(String(method)).slice(1, -1)
    }, expected one of \`SUBSCRIBE\`, \`UNSUBSCRIBE\`, \`LIST_SUBSCRIPTIONS\`, \`SET_PROPERTY\`, \`GET_PROPERTY\` at line 1 column 28"}`;
  }
  const validId = id === null || id === undefined ||
    (typeof id === "number" && Number.isSafeInteger(id)) || (typeof id === "string" && ID.test(id));
  if (!validId) return `{"code":2,"msg":"Invalid request: request ID must be an unsigned integer"}`;
  const idText = JSON.stringify(id ?? null);
  const list = Array.isArray(params) ? params : [];
  switch (method) {
    case "SUBSCRIBE":
    case "UNSUBSCRIBE": {
      if (list.length > 1024) return `{"code":2,"msg":"Invalid request: too many parameters"}`;
      const bad = list.find((stream) => typeof stream !== "string" || !validStream(stream));
      if (method === "SUBSCRIBE" && bad !== undefined) {
        return `{"code":2,"msg":"Invalid request: invalid stream ${
          JSON.stringify(String(bad)).slice(1, -1)
        }","id":${idText}}`;
      }
      for (const stream of list as string[]) {
        if (method === "SUBSCRIBE") state.streams.add(stream);
        else state.streams.delete(stream);
      }
      return `{"result":null,"id":${idText}}`;
    }
    case "LIST_SUBSCRIPTIONS":
      return `{"result":${JSON.stringify([...state.streams])},"id":${idText}}`;
    case "SET_PROPERTY":
    case "GET_PROPERTY": {
      const [name, value] = list;
      if (typeof name !== "string") {
        return `{"code":2,"msg":"Invalid request: property name must be a string"}`;
      }
      if (name !== "combined") return `{"code":0,"msg":"Unknown property","id":${idText}}`;
      if (method === "GET_PROPERTY") return `{"result":${state.combined},"id":${idText}}`;
      if (typeof value !== "boolean") {
        return `{"code":1,"msg":"Invalid value type: expected Boolean"}`;
      }
      state.combined = value;
      return `{"result":null,"id":${idText}}`;
    }
  }
  return `{"code":2,"msg":"Invalid request: missing field \`method\` at line 1 column 1"}`;
}
