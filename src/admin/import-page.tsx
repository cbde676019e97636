/**
 * The Import page (main navigation, for Editors and Authors): paste a story (text, a web page, a
 * wire item) or drop a file → a preview of the article ingest would make (headline, standfirst,
 * date, sections, pictures, byline) and the entities it suggests, each with a checkbox (the known
 * ones ticked, new names unticked) → Create draft opens the draft in the content manager. The server
 * does the work: /newsroom/ingest/preview and /create (src/ingest/admin-routes.ts).
 */
import { useState, type ChangeEvent, type DragEvent } from 'react';
import { Badge, Box, Button, Checkbox, Flex, Textarea, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';

interface Inline {
  type: string;
  text?: string;
  children?: Inline[];
}
interface Block {
  type: string;
  children?: Inline[];
}
interface Known {
  documentId: string;
  slug: string;
  name: string;
  kind: string;
  via: string;
  count: number;
}
interface Candidate {
  name: string;
  kind: string;
  count: number;
}
interface Preview {
  format: string;
  locale: string;
  item: {
    headline: string | null;
    standfirst: string | null;
    dateline: string | null;
    bylines: string[];
    sections: { heading: string | null; body: Block[] }[];
    pictures: { caption: string | null; credit: string | null; href: string | null }[];
  };
  suggestions: { known: Known[]; candidates: Candidate[] };
  warnings: string[];
}

const textOf = (nodes: Inline[] | undefined): string => (nodes ?? []).map((n) => n.text ?? textOf(n.children)).join('');

const TYPES: Record<string, string> = { xml: 'application/xml', nitf: 'application/nitf+xml', json: 'application/json', txt: 'text/plain', html: 'text/html', htm: 'text/html' };

const messageOf = (error: unknown) => (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message ?? 'The import failed';

export default function ImportPage() {
  const { post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [text, setText] = useState('');
  const [contentType, setContentType] = useState<string | undefined>(undefined);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [newNames, setNewNames] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);

  const load = (value: string, type?: string) => {
    setText(value);
    setContentType(type);
    setPreview(null);
  };

  const onDrop = async (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (file) load(await file.text(), TYPES[file.name.split('.').pop()?.toLowerCase() ?? '']);
  };
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) load(await file.text(), TYPES[file.name.split('.').pop()?.toLowerCase() ?? '']);
  };

  const showPreview = async () => {
    setBusy(true);
    try {
      const { data } = await post<{ data: Preview[] }>('/newsroom/ingest/preview', { text, contentType });
      const first = data.data[0];
      setPreview(first);
      setTicked(new Set(first.suggestions.known.map((k) => k.documentId)));
      setNewNames(new Set());
    } catch (error) {
      toggleNotification({ type: 'danger', message: messageOf(error) });
    } finally {
      setBusy(false);
    }
  };

  const createDraft = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const candidates = preview.suggestions.candidates.filter((c) => newNames.has(c.name)).map((c) => ({ name: c.name, kind: c.kind }));
      const { data } = await post<{ data: { documentId: string; locale: string } | { documentId: string; locale: string }[] }>('/newsroom/ingest/create', { text, contentType, entities: [...ticked], candidates });
      const created = Array.isArray(data.data) ? data.data[0] : data.data;
      toggleNotification({ type: 'success', message: 'Draft created' });
      window.location.assign(`${window.location.pathname.replace(/\/import.*$/, '')}/content-manager/collection-types/api::article.article/${created.documentId}?plugins[i18n][locale]=${created.locale}`);
    } catch (error) {
      toggleNotification({ type: 'danger', message: messageOf(error) });
      setBusy(false);
    }
  };

  const toggle = (set: Set<string>, key: string, update: (s: Set<string>) => void) => {
    const next = new Set(set);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    update(next);
  };

  return (
    <Page.Main>
      <Page.Title>Import</Page.Title>
      <Layouts.Header title="Import" subtitle="Paste a story, a web page or an agency item (NewsML-G2, NITF, ninjs), or drop a file: preview it, pick its entities, create a draft." />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Box onDragOver={(e: DragEvent<HTMLDivElement>) => e.preventDefault()} onDrop={onDrop}>
            <Textarea name="import-text" aria-label="Story to import" placeholder="Paste the story here, or drop a file" value={text} onChange={(e: ChangeEvent<HTMLTextAreaElement>) => load(e.target.value)} rows={12} />
          </Box>
          <Flex gap={2}>
            <input type="file" aria-label="Import a file" accept=".xml,.nitf,.json,.txt,.html,.htm" onChange={onFile} />
            <Button onClick={showPreview} disabled={!text.trim() || busy} loading={busy && !preview}>
              Preview
            </Button>
            {preview ? (
              <Button onClick={createDraft} disabled={busy} variant="success">
                Create draft
              </Button>
            ) : null}
          </Flex>
          {preview ? (
            <Box background="neutral0" padding={6} shadow="tableShadow" hasRadius data-testid="import-preview">
              <Flex direction="column" alignItems="stretch" gap={3}>
                <Flex gap={2}>
                  <Badge>{preview.format}</Badge>
                  <Badge>{preview.locale}</Badge>
                  {preview.item.dateline ? <Badge>{preview.item.dateline}</Badge> : null}
                </Flex>
                <Typography variant="alpha" tag="h2">
                  {preview.item.headline ?? '(no headline)'}
                </Typography>
                {preview.item.standfirst ? <Typography variant="epsilon">{preview.item.standfirst}</Typography> : null}
                {preview.item.bylines.length ? <Typography variant="pi">By {preview.item.bylines.join(', ')}</Typography> : null}
                {preview.item.pictures.map((p, i) => (
                  <Typography key={i} variant="pi" textColor="neutral600">
                    Picture: {p.caption ?? '(no caption)'} {p.credit ? `(${p.credit})` : ''}
                  </Typography>
                ))}
                <Typography variant="delta" tag="h3">
                  {preview.item.sections.length} sections
                </Typography>
                {preview.item.sections.map((s, i) => (
                  <Box key={i} data-testid="import-section">
                    {s.heading ? <Typography fontWeight="bold">{s.heading}</Typography> : null}
                    {s.body.map((b, j) => (
                      <Typography key={j} tag="p" variant="omega">
                        {textOf(b.children)}
                      </Typography>
                    ))}
                  </Box>
                ))}
                <Typography variant="delta" tag="h3">
                  Entities ({preview.suggestions.known.length} known, {preview.suggestions.candidates.length} new)
                </Typography>
                <Flex wrap="wrap" gap={3}>
                  {preview.suggestions.known.map((k) => (
                    <Checkbox key={k.documentId} checked={ticked.has(k.documentId)} onCheckedChange={() => toggle(ticked, k.documentId, setTicked)} aria-label={`Link ${k.name}`}>
                      {k.name} ({k.kind}, ×{k.count || 1})
                    </Checkbox>
                  ))}
                </Flex>
                {preview.suggestions.candidates.length ? (
                  <>
                    <Typography variant="pi">New names (ticked ones are created as entities and linked):</Typography>
                    <Flex wrap="wrap" gap={3}>
                      {preview.suggestions.candidates.map((c) => (
                        <Checkbox key={c.name} checked={newNames.has(c.name)} onCheckedChange={() => toggle(newNames, c.name, setNewNames)} aria-label={`Create ${c.name}`}>
                          {c.name} ({c.kind})
                        </Checkbox>
                      ))}
                    </Flex>
                  </>
                ) : null}
                {preview.warnings.map((w, i) => (
                  <Typography key={i} variant="pi" textColor="warning600">
                    {w}
                  </Typography>
                ))}
              </Flex>
            </Box>
          ) : null}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
}
