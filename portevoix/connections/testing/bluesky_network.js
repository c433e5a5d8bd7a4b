// Starts a real Bluesky network for the tests with @atproto/dev-env (npm, pinned by
// package-lock.json): a PLC directory, a PDS and the bsky AppView (likes, reposts, replies and
// follower counts), each on 127.0.0.1 only. Prints one line `ready {json of the URLs}` and
// closes everything on SIGTERM.
// Usage: node bluesky_network.js <node_modules folder> <plc port> <pds port> <appview port> <ozone port>
// Environment: DB_POSTGRES_URL (an existing database), DB_POSTGRES_SCHEMA, REDIS_HOST (required
// by dev-env though unused), TMPDIR (a scratch folder the caller removes afterwards).
"use strict";
const net = require("net");
const path = require("path");

const [modules, ...portTexts] = process.argv.slice(2);
const [plcPort, pdsPort, appviewPort, ozonePort] = portTexts.map(Number);

// dev-env listens on every interface; the tests' network must stay on the loopback. Its URLs say
// `localhost`, which some machines resolve to ::1 first: a relay on [::1] at the same port
// forwards to 127.0.0.1, so both answers reach the same server and nothing else does.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const callback = args.find((argument) => typeof argument === "function");
  const wanted = typeof args[0] === "object" && args[0] !== null ? args[0].port : args[0];
  const server = this;
  server.once("listening", () => relayFromIpv6(server, server.address().port));
  return listen.call(server, wanted || 0, "127.0.0.1", callback);
};

function relayFromIpv6(server, port) {
  const relay = net.createServer((socket) => {
    const upstream = net.connect(port, "127.0.0.1");
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  relay.on("error", () => relay.close()); // no IPv6 loopback here: nothing to relay
  listen.call(relay, port, "::1");
  relay.unref();
  server.once("close", () => relay.close());
}

const { TestNetwork } = require(path.join(modules, "@atproto/dev-env"));

async function main() {
  const network = await TestNetwork.create({
    dbPostgresSchema: process.env.DB_POSTGRES_SCHEMA,
    plc: { port: plcPort },
    pds: { port: pdsPort, hostname: "localhost" },
    bsky: { port: appviewPort, publicUrl: `http://localhost:${appviewPort}` },
    ozone: {
      port: ozonePort,
      chatUrl: "http://localhost:1", // no chat service in the tests
      chatDid: "did:example:chat",
    },
  });
  const urls = {
    plc: network.plc.url,
    pds: network.pds.url,
    appview: network.bsky.url,
  };
  process.stdout.write(`ready ${JSON.stringify(urls)}\n`);
  let closing = false;
  process.on("SIGTERM", async () => {
    if (closing) return;
    closing = true;
    await network.close().catch(() => {});
    process.exit(0);
  });
}

main().catch((error) => {
  process.stdout.write(`failed ${String(error && error.stack ? error.stack : error)}\n`);
  process.exit(1);
});
