import { Module } from '@nestjs/common';
import { WorkspaceActivityController, WorkspaceActivityService } from './workspace-activity.controller';
import { WorkspacesController } from './workspaces.controller';
import { WorkspacesService } from './workspaces.service';

@Module({ controllers: [WorkspacesController, WorkspaceActivityController], providers: [WorkspacesService, WorkspaceActivityService] })
export class WorkspacesModule {}
