// The whole of a tool result the client received cut to the result budget, read back in pages. A read passes the
// gate like any other (rate limit, redaction, audit), and reaches only the results of the caller's own session.
import { ToolError } from '../../core/base/errors';
import { RESULT_URI_TEMPLATE } from '../../core/gate/resultStore';
import { defineResource, type AnyResourceSpec, type UriVariables } from '../../core/tools/resourceSpec';

function single(value: UriVariables[string] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : (value as string | undefined);
}

export const toolResultResource = defineResource({
	name: 'tool-result',
	title: 'Tool result',
	description: 'The whole of a tool result that was cut to the result budget, one page per read (page=1, 2, …). Kept for the session that made the call, until it ends or newer results need the room.',
	uriTemplate: RESULT_URI_TEMPLATE,
	// Always offered: a result is readable whatever family produced it.
	family: 'workspace',
	async prepare(variables, uri, host) {
		const id = single(variables.id) ?? '';
		const pageText = single(variables.page);
		const page = pageText === undefined || pageText === '' ? 1 : Number(pageText);
		if (!Number.isInteger(page) || page < 1) throw new ToolError(`${uri}: page must be a whole number from 1 (got "${pageText}").`, 'invalid-input');
		const found = host.results?.page(id, page);
		if (!found) {
			throw new ToolError(`No result "${id}" is kept for this session: results are kept for the session that made the call, until it ends or newer results need the room. Call the tool again, narrowed to the part you need.`, 'not-found');
		}
		if (page > found.pages) throw new ToolError(`${uri}: result ${id} has ${found.pages} page${found.pages === 1 ? '' : 's'}; ask for page 1 to ${found.pages}.`, 'invalid-input');
		return { subject: { summary: `read page ${page} of ${found.pages} of a kept result` }, plan: { id, page } };
	},
	async read(uri, ctx) {
		const { id, page } = ctx.plan;
		const found = ctx.host.results?.page(id, page);
		if (!found || found.page > found.pages) throw new ToolError(`Result ${id} is no longer kept (newer results needed the room). Call the tool again.`, 'not-found');
		const next = found.page < found.pages ? ` Next: ${ctx.host.results?.uri(id, found.page + 1)}` : ' This is the last page.';
		return [
			{ uri, mimeType: 'text/plain', text: found.text },
			{ uri, mimeType: 'text/plain', text: `[page ${found.page} of ${found.pages} of a kept result (${found.bytes} bytes in all).${next}]` },
		];
	},
});

export const resultResources: readonly AnyResourceSpec[] = [toolResultResource];
