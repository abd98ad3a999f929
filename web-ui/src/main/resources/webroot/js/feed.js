// The live feed over SSE or WebSocket, with automatic reconnection and backoff (500 ms doubling to
// 10 s, back to 500 ms once a hello arrives). Calls onMessage(msg) for every hello, backfill,
// snapshot, alert and logs (the live tail) message, and onState(state) on connection changes.
export class Feed {
  constructor(onMessage, onState) {
    this.onMessage = onMessage;
    this.onState = onState;
    this.transport = 'sse';
    this.match = ['*']; // the subscription's items: name globs and label=glob matchers
    this.source = null;
    this.retry = 0;
    this.timer = null;
    this.logs = true; // the live tail: true (every record), {service, severity, q}, or false
  }

  /** Changes the live tail's filter; the server filters, so only wanted records are sent. */
  tail(logs) {
    if (JSON.stringify(logs) === JSON.stringify(this.logs)) return; // unchanged: no reconnection
    this.logs = logs;
    if (this.transport === 'ws' && this.source && this.source.readyState === WebSocket.OPEN) {
      this.source.send(this.subscribeMessage());
    } else if (this.source) {
      this.connect(this.transport, this.match); // SSE: the filter is in the URL
    }
  }

  subscribeMessage() {
    return JSON.stringify({ type: 'subscribe', match: this.match, logs: this.logs });
  }

  /** The SSE parameters of the live tail. */
  tailParams() {
    if (!this.logs) return '';
    const p = new URLSearchParams({ logs: '1' });
    const f = this.logs === true ? {} : this.logs;
    for (const [name, value] of [['log_service', f.service], ['log_severity', f.severity], ['log_q', f.q]]) {
      if (value) p.set(name, value);
    }
    return '&' + p;
  }

  /** Connects over {@code transport} ('sse' or 'ws') with the subscription's items. */
  connect(transport, match) {
    this.close();
    this.transport = transport;
    this.match = match && match.length ? match : ['*'];
    this.onState('connecting');
    if (transport === 'ws') {
      this.openWebSocket();
    } else {
      this.openSse();
    }
  }

  openSse() {
    const es = new EventSource('/api/stream?match=' + encodeURIComponent(this.match.join(',')) + this.tailParams());
    this.source = es;
    for (const type of ['hello', 'backfill', 'snapshot', 'alert', 'logs', 'close']) {
      es.addEventListener(type, e => this.deliver(e.data));
    }
    es.onopen = () => this.onState('live');
    es.onerror = () => {
      if (this.source !== es) return;
      if (es.readyState !== EventSource.CLOSED) {
        this.onState('reconnecting'); // EventSource retries by itself, with Last-Event-ID
        return;
      }
      // a refusal (503 at the client limit) or a non-SSE answer: EventSource gives up; we do not
      es.close();
      this.onState('reconnecting');
      this.timer = setTimeout(() => this.openSse(), this.backoff());
    };
  }

  /** The next reconnection delay. */
  backoff() {
    return Math.min(10000, 500 * 2 ** this.retry++);
  }

  /** A hello came: the connection works, so the next failure retries quickly again. */
  connected() {
    this.retry = 0;
  }

  openWebSocket() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(proto + '//' + location.host + '/api/ws');
    this.source = ws;
    ws.onopen = () => {
      this.onState('live');
      ws.send(this.subscribeMessage());
    };
    ws.onmessage = e => this.deliver(e.data);
    ws.onclose = () => {
      if (this.source !== ws) return; // replaced on purpose
      this.onState('reconnecting');
      this.timer = setTimeout(() => this.openWebSocket(), this.backoff());
    };
  }

  /** Subscribes to other items; SSE reconnects, WebSocket sends a subscribe message. */
  subscribe(match) {
    if (this.transport === 'ws' && this.source && this.source.readyState === WebSocket.OPEN) {
      this.match = match && match.length ? match : ['*'];
      this.source.send(this.subscribeMessage());
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
