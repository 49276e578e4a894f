/**
 * Help texts of the `confstack` CLI, laid out from the option and command table in args.ts:
 * a term column padded to the widest term, descriptions wrapped at 80 columns.
 */

/** One option as the parser and the help see it. */
export interface OptionSpec {
  /** The long name without dashes, e.g. `env-prefix`. */
  name: string;
  short?: string;
  /** The value placeholder of an option that takes a value, e.g. `file`; absent for flags. */
  value?: string;
  description: string;
  choices?: readonly string[];
  default?: string;
}

/** One command as the parser and the help see it. */
export interface CommandSpec {
  description: string;
  /** The name of its one required positional argument, if it takes one. */
  argument?: { name: string; description: string };
  options: readonly OptionSpec[];
}

/** The whole command line: what the help describes and the parser accepts. */
export interface Grammar {
  description: string;
  globalOptions: readonly OptionSpec[];
  helpOption: OptionSpec;
  commands: Readonly<Record<string, CommandSpec>>;
  epilogue: string;
}

const WIDTH = 80;
const INDENT = '  ';

/** `-c, --config <file>` */
export function flags(option: OptionSpec): string {
  const short = option.short !== undefined ? `-${option.short}, ` : '';
  return `${short}--${option.name}${option.value !== undefined ? ` <${option.value}>` : ''}`;
}

function optionDescription(option: OptionSpec): string {
  const extras: string[] = [];
  if (option.choices) extras.push(`choices: ${option.choices.map((c) => `"${c}"`).join(', ')}`);
  if (option.default !== undefined) extras.push(`default: "${option.default}"`);
  return extras.length > 0 ? `${option.description} (${extras.join(', ')})` : option.description;
}

/** Greedy word wrap; continuation lines start at `indent`. */
function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

type Section = [title: string, rows: Array<[term: string, description: string]>];

function render(usage: string, description: string, sections: Section[], epilogue?: string): string {
  const termWidth = Math.max(...sections.flatMap(([, rows]) => rows.map(([term]) => term.length)));
  const column = INDENT.length + termWidth + 2;
  const blocks = [`Usage: ${usage}`, wrap(description, 0)];
  for (const [title, rows] of sections) {
    const body = rows.map(([term, text]) => `${INDENT}${term.padEnd(termWidth + 2)}${wrap(text, column)}`);
    blocks.push(`${title}:\n${body.join('\n')}`);
  }
  if (epilogue !== undefined) blocks.push(epilogue);
  return `${blocks.join('\n\n')}\n`;
}

const optionRows = (options: readonly OptionSpec[]): Array<[string, string]> => options.map((o) => [flags(o), optionDescription(o)]);

/** `confstack --help`: the global options and every command. */
export function programHelp(grammar: Grammar): string {
  const commands = Object.entries(grammar.commands).map(([name, spec]): [string, string] => {
    const term = [name, spec.options.length > 0 ? '[options]' : '', spec.argument ? `<${spec.argument.name}>` : ''].filter(Boolean).join(' ');
    return [term, spec.description];
  });
  commands.push(['help [command]', grammar.helpOption.description]);
  return render(
    'confstack [options] [command]',
    grammar.description,
    [
      ['Options', optionRows([...grammar.globalOptions, grammar.helpOption])],
      ['Commands', commands],
    ],
    grammar.epilogue,
  );
}

/** `confstack <command> --help`: its argument, its options, then the global ones. */
export function commandHelp(grammar: Grammar, name: string, spec: CommandSpec): string {
  const sections: Section[] = [];
  if (spec.argument) sections.push(['Arguments', [[spec.argument.name, spec.argument.description]]]);
  sections.push(['Options', optionRows([...spec.options, grammar.helpOption])], ['Global Options', optionRows(grammar.globalOptions)]);
  const usage = `confstack ${name} [options]${spec.argument ? ` <${spec.argument.name}>` : ''}`;
  return render(usage, spec.description, sections);
}
