// confstack as a process: loads one file with the CONFSTACK_ env overrides and the default (framework)
// schema, then prints peak RSS (bytes). Run by bench/cases/process.ts.
import { envProvider, fileProvider, loadConfig } from 'confstack';

const config = await loadConfig({ sources: [envProvider(), fileProvider({ path: process.argv[2] })] });
if (!Array.isArray(config.value.agents)) process.exit(1);
console.log(process.resourceUsage().maxRSS * 1024);
