// lurescan page script: sends the form to the JSON API and shows the answer
// without reloading. Without it the form posts to the server, which renders
// the same answer. Nothing is stored: no cookies, no storage, no requests
// anywhere but this server.
(function () {
  'use strict';

  const form = document.getElementById('check');
  const dataEl = document.getElementById('ui-data');
  const template = document.getElementById('result-template');
  const answer = document.getElementById('answer');
  if (!form || !dataEl || !template || !answer || !window.fetch || !window.TextEncoder) {
    return; // the form still works: the server renders the answer
  }
  const ui = JSON.parse(dataEl.textContent);
  const status = document.getElementById('status');
  const button = document.getElementById('submit');
  const fields = [
    ['title', 'label_title'],
    ['company', 'label_company'],
    ['text', 'label_text'],
    ['contact', 'label_contact'],
  ];
  const wordKinds = ['word', 'phrase', 'character', 'characters'];
  let busy = false;

  // t returns an interface message with {name} placeholders filled in.
  function t(key, vars) {
    let s = ui.messages[key];
    if (s === undefined) return 'MISSING(' + key + ')';
    for (const name in vars || {}) s = s.split('{' + name + '}').join(String(vars[name]));
    return s;
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function slot(root, name) {
    return root.querySelector('[data-slot="' + name + '"]');
  }

  function categoryName(id) {
    return ui.categories[id] || id;
  }

  // utf16Offsets maps each UTF-8 byte offset of s that starts a character
  // (or ends s) to its index in the JavaScript string, which counts UTF-16
  // code units; offsets inside a character map to -1. The API's spans are
  // byte offsets, so "发" is 3 bytes but 1 unit, and "😀" 4 bytes but 2.
  function utf16Offsets(s) {
    const map = new Int32Array(new TextEncoder().encode(s).length + 1).fill(-1);
    let b = 0;
    let u = 0;
    for (const ch of s) {
      map[b] = u;
      const cp = ch.codePointAt(0);
      b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      u += ch.length;
    }
    map[b] = u;
    return map;
  }

  // segments cuts text into plain and marked runs, as the server does:
  // overlapping hits merge into one mark; bad offsets are left out.
  function segments(text, spans) {
    const map = utf16Offsets(text);
    const valid = [];
    for (const s of spans) {
      if (s.start < 0 || s.start >= s.end || s.end >= map.length) continue;
      const start = map[s.start];
      const end = map[s.end];
      if (start < 0 || end < 0) continue;
      valid.push({ start: start, end: end, ref: s.ref, category: s.category });
    }
    valid.sort((a, b) => a.start - b.start || b.end - a.end);
    const out = [];
    let pos = 0;
    for (let i = 0; i < valid.length;) {
      const start = valid[i].start;
      let end = valid[i].end;
      const refs = [];
      const cats = [];
      for (; i < valid.length && valid[i].start < end; i++) {
        end = Math.max(end, valid[i].end);
        if (!refs.includes(valid[i].ref)) refs.push(valid[i].ref);
        if (!cats.includes(valid[i].category)) cats.push(valid[i].category);
      }
      if (start > pos) out.push({ text: text.slice(pos, start) });
      refs.sort((a, b) => a - b);
      out.push({
        text: text.slice(start, end), mark: true,
        label: t('warning_sign') + ': ' + cats.join(', ') + ': ', refs: refs.join(', '),
      });
      pos = end;
    }
    if (pos < text.length) out.push({ text: text.slice(pos) });
    return out;
  }

  function featureLabels(features) {
    const out = [];
    for (const f of features || []) {
      const kind = f.kind.slice(f.kind.lastIndexOf(' ') + 1);
      let label;
      if (wordKinds.includes(kind)) label = '“' + (f.example || f.text) + '”';
      else if (kind === 'indicator') label = ui.indicators[f.text] ? categoryName(ui.indicators[f.text]) : f.text;
      else if (kind === 'category') label = categoryName(f.text);
      else if (kind === 'categories') label = f.text.split('+').map(categoryName).join(' + ');
      else if (kind === 'category_count') label = t('category_count', { n: f.text });
      else if (ui.messages['kind_' + kind]) label = t('kind_' + kind);
      else label = f.text;
      if (!out.includes(label)) out.push(label);
    }
    return out;
  }

  function languageLabel(lang) {
    let name = ui.languages[lang.code] || lang.code;
    if (lang.code !== 'und' && lang.confidence < 0.5) name = t('language_unsure', { language: name });
    return t('detected_language', { language: name });
  }

  function fillList(list, items) {
    list.replaceChildren();
    if (items.length === 0) list.append(el('li', { class: 'none' }, t('features_none')));
    for (const item of items) list.append(el('li', {}, item));
  }

  function render(res, posting) {
    const node = template.content.firstElementChild.cloneNode(true);
    const band = res.band || 'insufficient';
    node.className = 'result band-' + band;
    slot(node, 'verdict').textContent = t('verdict_' + band);
    slot(node, 'summary').textContent = t('summary_' + band);
    if (res.score !== null && res.score !== undefined) {
      slot(node, 'score').hidden = false;
      slot(node, 'score-text').textContent = t('score', { score: res.score });
      const meter = slot(node, 'meter');
      meter.low = res.thresholds.review * 100;
      meter.high = res.thresholds.high * 100;
      meter.value = res.score;
      meter.textContent = res.score + '/100';
    }
    slot(node, 'language').textContent = languageLabel(res.language);

    // One reason per indicator, numbered in order of first appearance.
    const reasons = [];
    const refs = {};
    const spans = {};
    for (const h of res.indicators) {
      let r = refs[h.id];
      if (!r) {
        r = { n: reasons.length + 1, id: h.id, category: categoryName(h.category), reason: h.reason, found: [] };
        refs[h.id] = r;
        reasons.push(r);
      }
      if (r.found.length < 5 && !r.found.includes(h.text)) r.found.push(h.text);
      (spans[h.field] = spans[h.field] || []).push({ start: h.start, end: h.end, ref: r.n, category: r.category });
    }

    const textLang = res.language.code !== 'und' && res.language.confidence >= 0.5 ? res.language.code : '';
    const fieldsSlot = slot(node, 'fields');
    for (const [name, label] of fields) {
      const text = posting[name];
      if (!text) continue;
      const box = el('div', { class: 'advert-field', 'data-field': name });
      box.append(el('p', { class: 'field-label' }, t(label)));
      const body = el('div', { class: 'advert-text' });
      if (textLang) body.lang = textLang;
      for (const seg of segments(text, spans[name] || [])) {
        if (!seg.mark) {
          body.append(document.createTextNode(seg.text));
          continue;
        }
        const mark = el('mark');
        mark.append(el('span', { class: 'vh' }, seg.label), document.createTextNode(seg.text),
          el('sup', { 'aria-hidden': 'true' }, seg.refs));
        body.append(mark);
      }
      box.append(body);
      fieldsSlot.append(box);
    }

    slot(node, 'no-signs').hidden = reasons.length > 0;
    const list = slot(node, 'reasons');
    for (const r of reasons) {
      const li = el('li', { 'data-indicator': r.id });
      li.append(el('p', { class: 'category' }, r.category), el('p', {}, r.reason));
      const found = el('p', { class: 'found' }, t('found') + ' ');
      r.found.forEach((text, i) => {
        if (i > 0) found.append(', ');
        found.append(el('q', {}, text));
      });
      li.append(found);
      list.append(li);
    }
    fillList(slot(node, 'features-for'), featureLabels(res.top_features.for));
    fillList(slot(node, 'features-against'), featureLabels(res.top_features.against));
    return node;
  }

  function showError(message) {
    const box = el('div', { class: 'alert', role: 'alert', id: 'error' });
    box.append(el('h2', {}, t('error_heading')), el('p', {}, message));
    answer.replaceChildren(box);
    status.textContent = '';
  }

  function problemMessage(code, problem) {
    const type = (problem && problem.type) || '';
    if (code === 413) return t('error_too_large');
    if (type.endsWith(':invalid-utf8')) return t('error_invalid_utf8');
    if (type.endsWith(':empty-posting')) return t('error_empty');
    if (code >= 500) return t('error_server');
    return t('error_bad_request');
  }

  function value(name) {
    const input = form.elements.namedItem(name);
    return input ? input.value : '';
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    const posting = { text: value('text') };
    for (const name of ['title', 'company', 'contact']) {
      const v = value(name).trim();
      if (v) posting[name] = v;
    }
    const old = document.getElementById('error');
    if (old) old.remove();
    busy = true;
    button.disabled = true;
    answer.setAttribute('aria-busy', 'true');
    status.textContent = t('checking');
    try {
      let resp;
      try {
        resp = await fetch('/v1/score', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
          body: JSON.stringify({ posting: posting, lang: ui.lang }),
          credentials: 'same-origin',
          cache: 'no-store',
          referrerPolicy: 'no-referrer',
        });
      } catch (e) {
        showError(t('error_network'));
        return;
      }
      let body = null;
      try {
        body = await resp.json();
      } catch (e) {
        body = null;
      }
      if (!resp.ok || !body) {
        showError(problemMessage(resp.status, body));
        return;
      }
      const node = render(body, posting);
      answer.replaceChildren(node);
      status.textContent = t('done');
      // Focus the answer for screen readers and keyboards, and show its top
      // (focus alone may scroll a tall answer to its middle).
      node.focus({ preventScroll: true });
      node.scrollIntoView({ block: 'start' });
    } finally {
      busy = false;
      button.disabled = false;
      answer.removeAttribute('aria-busy');
    }
  });
})();
