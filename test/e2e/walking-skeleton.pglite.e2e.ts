import 'reflect-metadata';
import { walkingSkeletonSuite } from './walking-skeleton.suite';

walkingSkeletonSuite('pglite');
