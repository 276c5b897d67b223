// The seed's signalling server, as the benchmark's reference peer: a Socket.io 4 server with the events the
// project started from (join-call, signal, chat-message, disconnect), rooms and chat kept in memory.
// Started by the benchmark (dev.confab.bench.SeedPeer): node --expose-gc server.js <port>; it prints
// "listening <port>" when ready. GET /heap runs a full GC and answers the live heap in bytes, so the bench can
// weigh the seed's heap per participant the way jcmd weighs Confab's.
'use strict';

const http = require('node:http');
const { Server } = require('socket.io');

const port = Number(process.argv[2] || 0);

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/heap') {
    global.gc();
    const memory = process.memoryUsage();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ heapUsed: memory.heapUsed, rss: memory.rss }));
    return;
  }
  if (req.url.startsWith('/socket.io/')) {
    return; // Socket.io's own request handler answers these
  }
  res.writeHead(404).end();
});

const io = new Server(server, { serveClient: false, cors: { origin: '*' } });

/** Room path → socket ids in the order they joined. */
const connections = new Map();
/** Room path → chat messages so far, replayed to late joiners. */
const messages = new Map();
/** Socket id → its room path. */
const roomOf = new Map();

io.on('connection', (socket) => {
  socket.on('join-call', (path) => {
    if (typeof path !== 'string') {
      return;
    }
    let room = connections.get(path);
    if (!room) {
      room = [];
      connections.set(path, room);
    }
    room.push(socket.id);
    roomOf.set(socket.id, path);
    for (const id of room) {
      io.to(id).emit('user-joined', socket.id, room);
    }
    for (const message of messages.get(path) || []) {
      io.to(socket.id).emit('chat-message', message.data, message.sender, message.socketIdSender);
    }
  });

  socket.on('signal', (toId, message) => {
    io.to(toId).emit('signal', socket.id, message);
  });

  socket.on('chat-message', (data, sender) => {
    const path = roomOf.get(socket.id);
    if (path === undefined) {
      return;
    }
    let history = messages.get(path);
    if (!history) {
      history = [];
      messages.set(path, history);
    }
    history.push({ data, sender, socketIdSender: socket.id });
    for (const id of connections.get(path)) {
      io.to(id).emit('chat-message', data, sender, socket.id);
    }
  });

  socket.on('disconnect', () => {
    const path = roomOf.get(socket.id);
    if (path === undefined) {
      return;
    }
    roomOf.delete(socket.id);
    const room = connections.get(path).filter((id) => id !== socket.id);
    for (const id of room) {
      io.to(id).emit('user-left', socket.id);
    }
    if (room.length === 0) {
      connections.delete(path);
      messages.delete(path);
    } else {
      connections.set(path, room);
    }
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log('listening ' + server.address().port);
});
