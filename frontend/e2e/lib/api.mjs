// A small API client for seeding: one session (cookie jar + CSRF) per user, JSON in and out,
// errors carrying the server's {message, code, extra}.

export class ApiError extends Error {
  constructor(status, body, what) {
    super(`${what}: HTTP ${status} ${body?.message ?? ''} ${JSON.stringify(body?.extra ?? {})}`);
    this.status = status;
    this.body = body;
  }
}

export class Session {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookies = new Map();
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  remember(response) {
    for (const line of response.headers.getSetCookie?.() ?? []) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async call(method, path, { json, form } = {}) {
    const headers = { Accept: 'application/json', Cookie: this.cookieHeader() };
    if (method !== 'GET') {
      if (!this.cookies.get('csrftoken')) {
        const r = await fetch(this.baseUrl + '/api/auth/csrf', { headers: { Cookie: this.cookieHeader() } });
        this.remember(r);
        headers.Cookie = this.cookieHeader();
      }
      headers['X-CSRFToken'] = this.cookies.get('csrftoken');
      headers.Referer = this.baseUrl + '/';
    }
    let body;
    if (form) body = form;
    else if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(json);
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body });
    this.remember(response);
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = { message: text.slice(0, 300) };
    }
    if (!response.ok) throw new ApiError(response.status, data, `${method} ${path}`);
    return data;
  }

  get(path) {
    return this.call('GET', path);
  }

  post(path, json = {}) {
    return this.call('POST', path, { json });
  }

  upload(path, fields) {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) {
      if (value && typeof value === 'object' && 'bytes' in value) {
        form.append(key, new Blob([value.bytes], { type: value.type }), value.name);
      } else {
        form.append(key, String(value));
      }
    }
    return this.call('POST', path, { form });
  }

  /** The bytes of a download (a generated PDF), in this session. */
  async bytes(path) {
    const response = await fetch(this.baseUrl + path, { headers: { Cookie: this.cookieHeader() } });
    if (!response.ok) throw new ApiError(response.status, null, `GET ${path}`);
    return Buffer.from(await response.arrayBuffer());
  }

  async login(username, password) {
    await this.call('GET', '/api/auth/csrf');
    this.me = await this.post('/api/auth/login', { username, password });
    return this.me;
  }
}

/** A minimal but well-formed one-page PDF (header, objects, xref, trailer, %%EOF). */
export function pdfBytes(title) {
  const text = title.replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, '');
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
