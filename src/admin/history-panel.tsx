/**
 * The History panel of the edit view (articles, entities, images): the document's versions,
 * newest first; choosing one shows its differences from the current draft, deleted words struck
 * through in red and inserted ones underlined in green; "Restore this version" and, per changed
 * field, "Restore this field" write it back as a new draft save (src/history on the server). The
 * form then shows the restored text without a reload: the content manager's cached document is
 * invalidated, so it refetches and re-initialises the form (and the no-lost-edits guard learns
 * the new version from that read).
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useDispatch } from 'react-redux';
import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import type { VersionSummary as Version } from '../history/admin-routes';
import type { FieldDiff, WordPart } from '../history/diff';

const VERSIONED = new Set(['api::article.article', 'api::entity.entity', 'api::image.image']);

interface PanelProps {
  model: string;
  documentId?: string;
  document?: { locale?: string | null; updatedAt?: string } & Record<string, unknown>;
}


const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const errorMessage = (error: unknown) =>
  (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message ?? 'The request failed';

function Words({ words }: { words: WordPart[] }): ReactNode {
  return (
    <Typography variant="pi" tag="p" style={{ whiteSpace: 'pre-wrap', lineHeight: 1.5 }}>
      {words.map((w, i) =>
        w.removed ? (
          <del key={i} data-diff="removed" style={{ background: '#fde0e0', color: '#b72b1a' }}>
            {w.value}
          </del>
        ) : w.added ? (
          <ins key={i} data-diff="added" style={{ background: '#dcfce7', color: '#2f6846' }}>
            {w.value}
          </ins>
        ) : (
          <span key={i}>{w.value}</span>
        ),
      )}
    </Typography>
  );
}

function FieldChange({ diff, onRestore }: { diff: FieldDiff; onRestore: (field: string) => void }): ReactNode {
  return (
    <Box paddingTop={2} paddingBottom={2} data-field={diff.field}>
      <Flex justifyContent="space-between" alignItems="center" gap={2}>
        <Typography variant="sigma">{diff.field}</Typography>
        {diff.schema !== 'only-after' && (
          <Button size="S" variant="tertiary" onClick={() => onRestore(diff.field)}>
            Restore this field
          </Button>
        )}
      </Flex>
      {diff.schema === 'only-before' && <Typography variant="pi">This field no longer exists.</Typography>}
      {diff.words && <Words words={diff.words} />}
      {(diff.linked?.length || diff.unlinked?.length) ? (
        <Typography variant="pi" tag="p">
          {diff.unlinked?.length ? `Then: ${diff.unlinked.join(', ')}. ` : ''}
          {diff.linked?.length ? `Now also: ${diff.linked.join(', ')}.` : ''}
        </Typography>
      ) : null}
      {!diff.words && !diff.linked && (
        <Typography variant="pi" tag="p">
          {`Then: ${JSON.stringify(diff.before ?? null)} · now: ${JSON.stringify(diff.after ?? null)}`}
        </Typography>
      )}
    </Box>
  );
}

function HistoryContent({ model, documentId, locale, updatedAt }: { model: string; documentId: string; locale: string | null; updatedAt?: string }): ReactNode {
  const { get, post, del } = useFetchClient();
  const { toggleNotification } = useNotification();
  const dispatch = useDispatch();
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Version | null>(null);
  const [diff, setDiff] = useState<FieldDiff[] | null>(null);
  const query = locale ? `?locale=${encodeURIComponent(locale)}&pageSize=20` : '?pageSize=20';

  const load = useCallback(async () => {
    try {
      const { data } = await get<{ data: Version[] }>(`/newsroom/history/${model}/${documentId}${query}`);
      setVersions(data.data);
      setFailed(null);
    } catch (error) {
      setFailed(errorMessage(error));
    }
  }, [get, model, documentId, query]);

  // Reloaded after every save: updatedAt changes with each one.
  useEffect(() => {
    void load();
  }, [load, updatedAt]);

  const choose = async (version: Version) => {
    setChosen(version);
    setDiff(null);
    try {
      const { data } = await get<{ data: { fields: FieldDiff[] } }>(`/newsroom/history/versions/${version.id}/diff`);
      setDiff(data.data.fields.filter((f) => f.change !== 'unchanged'));
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    }
  };

  const restore = async (fields?: string[]) => {
    if (!chosen) return;
    try {
      const { data } = await post<{ meta: { dropped: { field: string; label: string; reason: string }[] } }>(
        `/newsroom/history/versions/${chosen.id}/restore`,
        fields ? { fields } : {},
      );
      const dropped = data.meta.dropped.map((d) => `${d.label} (${d.field}, ${d.reason})`);
      toggleNotification({
        type: dropped.length ? 'warning' : 'success',
        message: `${fields ? fields.join(', ') : 'Version'} restored as a new draft.${dropped.length ? ` Could not come back: ${dropped.join('; ')}.` : ''}`,
      });
      // The content manager refetches the document and the form shows the restored text.
      dispatch({ type: 'adminApi/invalidateTags', payload: [{ type: 'Document', id: `${model}_${documentId}` }, 'Relations'] });
      setChosen(null);
      setDiff(null);
      await load();
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    }
  };

  const pin = async (version: Version) => {
    try {
      if (version.pinned) await del(`/newsroom/history/versions/${version.id}/pin`);
      else await post(`/newsroom/history/versions/${version.id}/pin`, {});
      await load();
    } catch (error) {
      toggleNotification({ type: 'danger', message: errorMessage(error) });
    }
  };

  if (failed) return <Typography variant="pi">{failed}</Typography>;
  if (!versions) return <Typography variant="pi">Loading…</Typography>;
  if (versions.length === 0) return <Typography variant="pi">No versions yet: the first save makes one.</Typography>;

  return (
    <Flex direction="column" alignItems="stretch" gap={2} width="100%" data-testid="history-panel">
      {versions.map((v) => (
        <Box key={v.id} padding={2} hasRadius background={chosen?.id === v.id ? 'primary100' : 'neutral0'} borderColor="neutral200">
          <Flex justifyContent="space-between" alignItems="center" gap={1}>
            <button type="button" onClick={() => void choose(v)} style={{ all: 'unset', cursor: 'pointer' }} aria-label={`Version ${v.id}`}>
              <Typography variant="omega" fontWeight="bold">{when(v.createdAt)}</Typography>
            </button>
            <Flex gap={1}>
              {v.published && <Badge>published</Badge>}
              {v.pinned && <Badge active>pinned</Badge>}
            </Flex>
          </Flex>
          <Typography variant="pi" tag="p">
            {v.by.kind === 'admin' ? v.by.name : v.by.kind === 'api-token' ? `API token ${v.by.name}` : v.by.name}
            {v.note ? ` · ${v.note}` : ''}
          </Typography>
          {chosen?.id === v.id && (
            <Box paddingTop={2}>
              <Flex gap={2} wrap="wrap">
                <Button size="S" onClick={() => void restore()}>
                  Restore this version
                </Button>
                <Button size="S" variant="secondary" onClick={() => void pin(v)}>
                  {v.pinned ? 'Unpin' : 'Pin'}
                </Button>
              </Flex>
              {diff === null ? (
                <Typography variant="pi">Comparing…</Typography>
              ) : diff.length === 0 ? (
                <Typography variant="pi" tag="p">Same as the current draft.</Typography>
              ) : (
                diff.map((d) => <FieldChange key={d.field} diff={d} onRestore={(field) => void restore([field])} />)
              )}
            </Box>
          )}
        </Box>
      ))}
    </Flex>
  );
}

/** The edit view's side panel; none while a document is being created. */
export const HistoryPanel = ({ model, documentId, document }: PanelProps) => {
  if (!documentId || !VERSIONED.has(model)) return null;
  return {
    title: 'History',
    content: <HistoryContent model={model} documentId={documentId} locale={document?.locale ?? null} updatedAt={document?.updatedAt} />,
  };
};
