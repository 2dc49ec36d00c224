import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'test-results/**', 'scripts/**', 'esbuild.mjs', 'eslint.config.mjs'] },
	...tseslint.configs.recommended,
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
			eqeqeq: ['error', 'always'],
			'no-restricted-syntax': ['error', { selector: 'CallExpression[callee.property.name="exec"][callee.object.name="child_process"]', message: 'no shell: use execFile/spawn with argument arrays' }],
		},
	},
	{
		// Layers by runtime: core is pure, tools reach the editor only through Host.
		files: ['src/core/**/*.ts', 'src/tools/**/*.ts', 'src/node/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'only src/vscode and src/extension.ts may import vscode', allowTypeImports: false }] }],
		},
	},
	{
		files: ['src/core/**/*.ts'],
		rules: {
			'no-restricted-imports': ['error', {
				paths: [{ name: 'vscode', message: 'core is pure: no vscode' }],
				patterns: [{ group: ['node:*', 'fs', 'child_process', 'http', 'net', '**/node/**', '**/vscode/**', '**/webview/**', '../../tools/**'], message: 'core is pure logic: no I/O, no outer layers' }],
			}],
		},
	},
);
