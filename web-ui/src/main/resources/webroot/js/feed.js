// The live feed over SSE or WebSocket, with automatic reconnection. Calls onMessage(msg) for every
// hello, backfill, snapshot and alert message, and onState(state) on connection changes.
export class Feed {
  constructor(onMessage, onState) {
    this.onMessage = onMessage;
    this.onState = onState;
    this.transport = 'sse';
    this.match = '*';
    this.source = null;
    this.retry = 0;
    this.timer = null;
  }

  connect(transport, match) {
    this.close();
    this.transport = transport;
    this.match = match || '*';
    this.onState('connecting');
    if (transport === 'ws') {
      this.openWebSocket();
    } else {
      this.openSse();
    }
  }

  openSse() {
    const es = new EventSource('/api/stream?match=' + encodeURIComponent(this.match));
    this.source = es;
    for (const type of ['hello', 'backfill', 'snapshot', 'alert', 'close']) {
      es.addEventListener(type, e => this.deliver(e.data));
    }
    es.onopen = () => this.onState('live');
    // EventSource reconnects by itself (with Last-Event-ID); only say so
    es.onerror = () => this.onState(es.readyState === EventSource.CLOSED ? 'offline' : 'reconnecting');
  }

  openWebSocket() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(proto + '//' + location.host + '/api/ws');
    this.source = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.onState('live');
      ws.send(JSON.stringify({ type: 'subscribe', match: this.match.split(',') }));
    };
    ws.onmessage = e => this.deliver(e.data);
    ws.onclose = () => {
      if (this.source !== ws) return; // replaced on purpose
      this.onState('reconnecting');
      const delay = Math.min(10000, 500 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.openWebSocket(), delay);
    };
  }

  subscribe(match) {
    if (this.transport === 'ws' && this.source && this.source.readyState === WebSocket.OPEN) {
      this.match = match;
      this.source.send(JSON.stringify({ type: 'subscribe', match: match.split(',') }));
    } else {
      this.connect(this.transport, match);
    }
  }

  deliver(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch (e) {
      return; // not ours
    }
    this.onMessage(msg);
  }

  close() {
    clearTimeout(this.timer);
    const s = this.source;
    this.source = null;
    if (s) s.close();
  }
}
