/**
 * Image rights in the admin: the edit view of an image, or of an article (its hero image), says
 * when the rights have expired or end within 7 days (GET /newsroom/rights/...), and the image
 * list's "Rights expire" column reads "Expired" or "Expires in N days" beside the date.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';

const WARNING_MS = 7 * 86_400_000;
const DAY_MS = 86_400_000;

type State = 'none' | 'ok' | 'expiring' | 'expired';

interface Rights {
  caption: string;
  licence: string | null;
  rightsExpireAt: string | null;
  state: State;
}

export function stateOf(rightsExpireAt: string | null | undefined, now = Date.now()): State {
  if (!rightsExpireAt) return 'none';
  const at = new Date(rightsExpireAt).getTime();
  if (Number.isNaN(at)) return 'none';
  if (at <= now) return 'expired';
  return at - now <= WARNING_MS ? 'expiring' : 'ok';
}

export function rightsLabel(rightsExpireAt: string | null | undefined, now = Date.now()): string {
  const state = stateOf(rightsExpireAt, now);
  if (state === 'none') return 'No end date';
  const at = new Date(rightsExpireAt as string);
  const date = at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  if (state === 'expired') return `Expired ${date}`;
  if (state === 'expiring') {
    const days = Math.max(1, Math.ceil((at.getTime() - now) / DAY_MS));
    return `Expires in ${days} day${days === 1 ? '' : 's'} (${date})`;
  }
  return date;
}

const COLOURS: Record<State, string> = { none: 'neutral600', ok: 'neutral800', expiring: 'warning600', expired: 'danger600' };

function RightsNotice({ model, documentId, locale, updatedAt }: { model: string; documentId: string; locale: string | null; updatedAt?: string }): ReactNode {
  const { get } = useFetchClient();
  const [rights, setRights] = useState<Rights | null | undefined>(undefined);
  useEffect(() => {
    const query = locale ? `?locale=${encodeURIComponent(locale)}` : '';
    get<{ data: Rights | null }>(`/newsroom/rights/${model}/${documentId}${query}`)
      .then(({ data }) => setRights(data.data))
      .catch(() => setRights(null));
  }, [get, model, documentId, locale, updatedAt]);
  if (!rights) return <Typography variant="pi">{model === 'api::article.article' ? 'No hero image.' : '—'}</Typography>;
  const subject = model === 'api::article.article' ? `The hero image (“${rights.caption}”)` : 'This picture';
  const text =
    rights.state === 'expired'
      ? `${subject}: rights expired. It is shown nowhere public; this story cannot be published with it.`
      : rights.state === 'expiring'
        ? `${subject}: rights end soon — ${rightsLabel(rights.rightsExpireAt)}. It leaves every page and feed then.`
        : `${subject}: ${rights.licence ?? 'no licence given'}, ${rights.rightsExpireAt ? `rights until ${rightsLabel(rights.rightsExpireAt)}` : 'no end date'}.`;
  return (
    <Typography variant="pi" tag="p" textColor={COLOURS[rights.state]} data-rights-state={rights.state}>
      {text}
    </Typography>
  );
}

interface PanelProps {
  model: string;
  documentId?: string;
  document?: { locale?: string | null; updatedAt?: string };
}

export const RightsPanel = ({ model, documentId, document }: PanelProps) => {
  if (!documentId || (model !== 'api::image.image' && model !== 'api::article.article')) return null;
  return { title: 'Image rights', content: <RightsNotice model={model} documentId={documentId} locale={document?.locale ?? null} updatedAt={document?.updatedAt} /> };
};

interface Header {
  name: string;
  cellFormatter?: (data: Record<string, unknown>, header: unknown, meta: unknown) => ReactNode;
}

/** The image list's "Rights expire" column, worded. */
export function rightsColumn({ displayedHeaders, layout }: { displayedHeaders: Header[]; layout: unknown }) {
  return {
    displayedHeaders: displayedHeaders.map((h) =>
      h.name !== 'rightsExpireAt'
        ? h
        : {
            ...h,
            cellFormatter: (data: Record<string, unknown>) => {
              const value = data.rightsExpireAt as string | null | undefined;
              return (
                <Typography textColor={COLOURS[stateOf(value)]} data-rights-state={stateOf(value)}>
                  {rightsLabel(value)}
                </Typography>
              );
            },
          },
    ),
    layout,
  };
}
