import { Module } from '@nestjs/common';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { SyncService } from './sync.service';
import { SyncsController } from './syncs.controller';

@Module({ controllers: [DocumentsController, SyncsController], providers: [DocumentsService, SyncService] })
export class DocumentsModule {}
