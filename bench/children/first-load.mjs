// A first load in a fresh process: import the library, load the ~3 KB YAML file once, touch the
// result. Run by bench/cases/process.ts for confstack (default load: env + file, framework
// validation) and each peer the way bench/cases/load.ts uses it (the same overrides in the env).
//   node first-load.mjs <confstack|node-config|convict|c12|nconf> <file.yaml> [<node-config dir>]
const [lib, file, dir] = process.argv.slice(2);
let value;
switch (lib) {
  case 'confstack': {
    const { envProvider, fileProvider, loadConfig } = await import('confstack');
    value = (await loadConfig({ sources: [envProvider(), fileProvider({ path: file })] })).value;
    break;
  }
  case 'node-config': {
    process.env.NODE_CONFIG_DIR = dir; // read once, at import: a directory holding default.yaml
    value = (await import('config')).default.util.toObject();
    break;
  }
  case 'convict': {
    const [{ default: convict }, { default: jsYaml }] = await Promise.all([import('convict'), import('js-yaml')]);
    convict.addParser({ extension: ['yaml', 'yml'], parse: (text) => jsYaml.load(text) });
    const c = convict({});
    c.loadFile(file);
    value = c.getProperties();
    break;
  }
  case 'c12': {
    const [{ loadConfig }, { dirname, basename }] = await Promise.all([import('c12'), import('node:path')]);
    value = (await loadConfig({ cwd: dirname(file), configFile: basename(file), rcFile: false, packageJson: false, dotenv: false, globalRc: false })).config;
    break;
  }
  case 'nconf': {
    const [{ default: nconf }, { default: jsYaml }] = await Promise.all([import('nconf'), import('js-yaml')]);
    const p = new nconf.Provider();
    p.env({ separator: '__' });
    p.file({ file, format: { parse: (t) => jsYaml.load(t), stringify: (v) => jsYaml.dump(v) } });
    value = p.get();
    break;
  }
  default:
    throw new Error(`unknown library ${lib}`);
}
if (!Array.isArray(value?.agents) || value.agents.length === 0) {
  console.error(`${lib}: the configuration did not load`);
  process.exit(1);
}
