/**
 * tslab sends every Jupyter message with `socket.send(...)` without waiting for the previous send.
 * zeromq.js 6 completes a send at once while the socket's queue has room, but once the queue is full
 * (a burst of displays or progress updates while the machine is busy) a send stays pending, and the
 * next one throws EBUSY ("Socket is busy writing"). tslab's "idle" status after a cell is such a
 * send; the throw becomes an unhandled rejection, which the tfjs WASM backend's hook rethrows, and
 * the kernel dies (test/fixtures/big-displays.ipynb reproduces it). Loading this module (the show
 * layer does) makes each socket's sends wait for the one before: same messages, same order.
 */
interface Sendable {
  send(msg: unknown): Promise<void>;
}

const MARK = Symbol.for("fragility.serialisedSends");

export function serialiseZmqSends(): boolean {
  let zmq: Record<string, { prototype: Sendable & { [MARK]?: boolean } } | undefined>;
  try {
    // The copy tslab uses (resolved from tslab's own folder).
    zmq = require(require.resolve("zeromq", { paths: [require.resolve("tslab")] }));
  } catch {
    return false; // not inside a tslab kernel's installation
  }
  for (const name of ["Publisher", "Router", "Dealer"]) {
    const proto = zmq[name]?.prototype;
    if (!proto || proto[MARK]) continue;
    const original = proto.send;
    const pending = new WeakMap<object, Promise<void>>();
    const serialised = function (this: object, msg: unknown): Promise<void> {
      const before = pending.get(this);
      const sent = before ? before.then(() => original.call(this, msg)) : original.call(this, msg);
      const settled = sent.catch(() => undefined);
      pending.set(this, settled);
      void settled.then(() => {
        if (pending.get(this) === settled) pending.delete(this);
      });
      return sent;
    };
    // zeromq declares send read-only on the base class; an own property of the subclass shadows it.
    Object.defineProperty(proto, "send", { value: serialised, writable: true, configurable: true });
    proto[MARK] = true;
  }
  return true;
}
