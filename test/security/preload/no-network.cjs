// Preloaded into the built CLI (`node --require`): every way out to the network throws, and
// each attempt is recorded in the file named by DKS_NETWORK_LOG, so a test sees an attempt
// even when the tool catches the error and carries on.
"use strict";
const fs = require("node:fs");
const net = require("node:net");
const tls = require("node:tls");
const dns = require("node:dns");
const http = require("node:http");
const https = require("node:https");
const { syncBuiltinESMExports } = require("node:module");

const log = process.env.DKS_NETWORK_LOG;

function blocked(what) {
  return function () {
    if (log) fs.appendFileSync(log, `${what}\n`);
    throw new Error(`network access blocked by test preload: ${what}`);
  };
}

net.connect = blocked("net.connect");
net.createConnection = blocked("net.createConnection");
net.Socket.prototype.connect = blocked("net.Socket.connect");
tls.connect = blocked("tls.connect");
dns.lookup = blocked("dns.lookup");
dns.resolve = blocked("dns.resolve");
dns.promises.lookup = blocked("dns.promises.lookup");
dns.promises.resolve = blocked("dns.promises.resolve");
http.request = blocked("http.request");
http.get = blocked("http.get");
https.request = blocked("https.request");
https.get = blocked("https.get");
globalThis.fetch = blocked("fetch");
syncBuiltinESMExports();
