/** What task tools need from the editor; filled in by the tasks family. */
export interface TasksHost {
	readonly available: boolean;
}
