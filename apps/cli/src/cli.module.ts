import { Module } from '@nestjs/common';
import { ExportCommand } from './commands/export.command';
import { QueryCommand } from './commands/query.command';
import { RebuildCommand } from './commands/rebuild.command';
import { ReplayCommand } from './commands/replay.command';
import { StatsCommand } from './commands/stats.command';
import { Interruption } from './interruption';
import { StoreAccess } from './store-access';

/** The tool's commands over the service's stores; no HTTP server, relay or scheduler. */
@Module({
  providers: [
    StoreAccess,
    Interruption,
    ExportCommand,
    QueryCommand,
    ReplayCommand,
    RebuildCommand,
    StatsCommand,
  ],
})
export class CliModule {}
