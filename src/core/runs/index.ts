/**
 * The runs wing: what a training cell measured (the run record it leaves in its output folder)
 * judged for the panel, and the calibration a user may keep from it.
 */
export { RUN_RECORD_FILE, recordPath, parseRunRecord, judgeRecord, sameGpu } from './record';
export type { RunRecord, RecordState, RecordWanted } from './record';
export { calibrationFrom, findCalibration, withCalibration, withoutCalibration, parseCalibrations, calibrate, MAX_CALIBRATIONS } from './calibration';
export type { Calibration, CalibratedFigure } from './calibration';
