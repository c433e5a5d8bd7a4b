// Starts web-push-testing's push service (npm, pinned by package-lock.json) for the tests:
// on 127.0.0.1 only, at the port given, with endpoints that name 127.0.0.1; prints "ready".
// Usage: node push_service.js <node_modules folder> <port>
"use strict";
const net = require("net");
const path = require("path");

const [modules, portText] = process.argv.slice(2);
const port = Number(portText);
// The package listens on every interface; the tests' service must stay on the loopback.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (wantedPort, ...rest) {
  const callback = rest.find((argument) => typeof argument === "function");
  return listen.call(this, wantedPort, "127.0.0.1", callback);
};
const { PushApiModel } = require(path.join(modules, "web-push-testing/src/PushApiModel.js"));
const PushService = require(path.join(modules, "web-push-testing/src/server.js"));

const model = new PushApiModel();
const service = new PushService(model, port);
model.notifyUrl = `http://127.0.0.1:${port}/notify/`;
service.startServer();
service._server.on("listening", () => console.log("ready"));
process.on("SIGTERM", () => process.exit(0));
